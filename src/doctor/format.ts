import type { Finding } from './finding.js';

/** How many columns the report wraps its text at. */
const WIDTH = 100;

/**
 * The findings as a report for a terminal: one block per finding (severity and id, the message,
 * the evidence numbers, the fix), wrapped at 100 columns, then a count by severity.
 *
 * @example console.log(formatDoctorReport(doctor(model, { inputShape: [1, 28, 28] })));
 */
export function formatDoctorReport(findings: readonly Finding[], title = 'fovea doctor'): string {
  const count = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const blocks = findings.map((f) =>
    [
      `${f.severity.toUpperCase()} ${f.id}`,
      ...wrap(f.message, '  '),
      ...(Object.keys(f.evidence).length > 0
        ? wrap(`evidence: ${evidence(f.evidence)}`, '  ')
        : []),
      ...wrap(`fix: ${f.fix}`, '  '),
    ].join('\n'),
  );
  const total =
    findings.length === 0
      ? 'No problems found.'
      : `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'note')}.`;
  return [title, ...blocks, total].join('\n\n');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `name value` pairs, numbers to 4 significant digits. */
function evidence(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : Number(v.toPrecision(4))}`)
    .join(', ');
}

/** Word-wraps `text` at WIDTH columns, each line starting with `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > WIDTH && line.trim()) {
      lines.push(line);
      line = indent;
    }
    line += line === indent ? word : ` ${word}`;
  }
  lines.push(line);
  return lines;
}
