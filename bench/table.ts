/** The report as text: a heading, a Markdown table (pasted as is into docs/benchmarks.md), notes. */
import { FOVEA } from './peers/index.js';
import type { BenchReport, Cell, PeerColumn, Row } from './report.js';

/** A speed with about three significant digits. */
function formatRate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** Collects the reasons of n/a and cannot cells as numbered notes, one number per distinct text. */
class Notes {
  readonly lines: string[] = [];
  private readonly numbers = new Map<string, number>();

  refer(text: string): string {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.numbers.size + 1;
      this.numbers.set(text, n);
      this.lines.push(`[${n}] ${text}`);
    }
    return `[${n}]`;
  }
}

function cellText(peer: string, cell: Cell | undefined, notes: Notes): string {
  if (!cell) return '';
  if (cell.status !== 'ok') return `${cell.status} ${notes.refer(`${peer}: ${cell.reason}`)}`;
  const { spread, capped, timesMs } = cell.measurement;
  const runs = capped ? ` (${timesMs.length} run${timesMs.length > 1 ? 's' : ''}†)` : '';
  const range = timesMs.length > 1 ? ` ±${Math.round((spread / 2) * 100)}%` : '';
  return `${formatRate(cell.rate)}${range}${runs}`;
}

function ratioText(cell: Cell | undefined): string {
  if (cell?.status !== 'ok' || cell.foveaRatio === undefined) return '';
  const ratio = cell.foveaRatio;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

function rowCells(row: Row, peers: PeerColumn[], notes: Notes): string[] {
  const goal = row.goal === undefined ? '—' : `≥ ${row.goal}`;
  const meets = row.meetsGoal === undefined ? '—' : row.meetsGoal ? 'yes' : 'no';
  const others = peers.filter((p) => p.name !== FOVEA);
  return [
    row.title,
    row.unit,
    goal,
    cellText(FOVEA, row.cells[FOVEA], notes),
    meets,
    ...others.flatMap((p) => [
      cellText(p.name, row.cells[p.name], notes),
      ratioText(row.cells[p.name]),
    ]),
  ];
}

/** Rows of cells as an aligned Markdown table. */
function markdownTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

/** Whether the time cap cut any measurement short. */
function anyCapped(report: BenchReport): boolean {
  return report.rows.some((row) =>
    Object.values(row.cells).some((cell) => cell.status === 'ok' && cell.measurement.capped),
  );
}

/** The report as the text `npm run bench` prints. */
export function formatReport(report: BenchReport): string {
  const available = report.peers.filter((p) => !p.unavailable);
  const others = available.filter((p) => p.name !== FOVEA).map((p) => p.name);
  const header = [
    'workload',
    'unit',
    'goal',
    FOVEA,
    'meets goal',
    ...others.flatMap((name) => [name, `fovea/${name}`]),
  ];
  const notes = new Notes();
  const table = markdownTable([
    header,
    ...report.rows.map((row) => rowCells(row, available, notes)),
  ]);
  const [loadStart, loadEnd] = report.loadAverage;
  return [
    `fovea benchmark, ${report.date}: Node ${report.node}, ${report.cpu} (${report.cores} cores), ` +
      `load average ${loadStart.toFixed(1)} at the start, ${loadEnd.toFixed(1)} at the end`,
    `Median of ${report.runs} timed runs after ${report.warmup} warm-up` +
      `${report.quick ? ', --quick sizes' : ''}; ±: half the range of the runs over the median; ` +
      `fovea/peer: fovea's speed over the peer's (above 1: fovea is faster).`,
    ...available.map((p) => `- ${p.name}: ${p.label}`),
    ...report.peers
      .filter((p) => p.unavailable)
      .map((p) => `- ${p.name}: unavailable (${p.unavailable})`),
    '',
    table,
    '',
    ...notes.lines,
    ...(anyCapped(report)
      ? [
          `† stopped by the time cap of ${report.capSeconds} s per peer and workload, before ${report.runs} runs.`,
        ]
      : []),
  ].join('\n');
}
