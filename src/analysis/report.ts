import { check } from '../tensor/errors.js';
import type { Logs } from '../train/callback.js';
import { precisionRecallF1, type AveragedScores } from '../train/metrics.js';
import { confusionHeatMap } from './heat-map.js';
import { escapeHtml, formatNumber } from './html.js';
import { lineChart, type ChartSeries } from './line-chart.js';

/** What a training report shows. */
export interface ReportData {
  title: string;
  /**
   * One entry per epoch, as `fit` returns it: 'epoch' (0-based; shown from 1), 'loss',
   * 'accuracy', 'val_loss', 'val_accuracy', 'lr'. Missing or NaN values leave gaps.
   */
  history: readonly Logs[];
  /** The evaluation confusion matrix, rows true classes, columns predictions. */
  confusion: readonly (readonly number[])[];
  /** One name per class, in class-index order. */
  classNames: readonly string[];
  /** Headline numbers, e.g. { test_accuracy: 0.91, test_loss: 0.27 }. */
  metrics: Readonly<Record<string, number>>;
  /** Preformatted text shown as is (e.g. the model summary). */
  summary?: string;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;color:#222;margin:24px auto;max-width:1120px;padding:0 16px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse}td,th{padding:3px 12px;border-bottom:1px solid #e4e4e4;text-align:right}
td:first-child,th:first-child{text-align:left}tr.average td{font-style:italic;background:#fafafa}
.charts{display:flex;flex-wrap:wrap;gap:12px}pre{background:#f6f6f6;padding:10px;overflow:auto;font-size:12px}
svg text{font-family:system-ui,sans-serif}`;

/** The [epoch, value] points of one key of the history; epochs count from 1. */
function column(history: readonly Logs[], key: string): [number, number][] {
  return history
    .map((h, i): [number, number] => [(h.epoch ?? i) + 1, h[key]])
    .filter(([, v]) => v !== undefined);
}

/** A chart of some keys of the history (legend name → key); '' when the history has none. */
function curves(history: readonly Logs[], title: string, keys: Record<string, string>): string {
  const series: ChartSeries[] = Object.entries(keys)
    .map(([name, key]) => ({ name, points: column(history, key) }))
    .filter((s) => s.points.length > 0);
  const yLabel = title.toLowerCase();
  return series.length === 0 ? '' : lineChart({ title, xLabel: 'epoch', yLabel, series });
}

const cells = (tag: 'td' | 'th', values: readonly string[]) =>
  `<tr>${values.map((v) => `<${tag}>${v}</${tag}>`).join('')}</tr>`;

/** The per-class precision/recall/F1 table, with the macro and weighted averages. */
function scoreTable(confusion: ReportData['confusion'], classNames: readonly string[]): string {
  const s = precisionRecallF1(confusion);
  const f = (v: number) => v.toFixed(3);
  const average = (name: string, a: AveragedScores, support: number) =>
    `<tr class="average"><td>${name}</td><td>${f(a.precision)}</td><td>${f(a.recall)}</td><td>${f(a.f1)}</td><td>${support}</td></tr>`;
  const total = s.support.reduce((a, b) => a + b, 0);
  return [
    '<table>',
    cells('th', ['class', 'precision', 'recall', 'F1', 'support']),
    ...classNames.map((name, i) =>
      cells('td', [
        escapeHtml(name),
        f(s.precision[i]),
        f(s.recall[i]),
        f(s.f1[i]),
        String(s.support[i]),
      ]),
    ),
    average('macro average', s.macro, total),
    average('weighted average', s.weighted, total),
    cells('td', ['accuracy', '', '', f(s.accuracy), String(total)]),
    '</table>',
  ].join('\n');
}

/**
 * A self-contained HTML page (inline CSS and SVG; no scripts, no external files) to read after
 * training: the headline metrics, learning curves (loss, accuracy and learning rate per epoch,
 * train and validation), the confusion matrix as a heat map (counts in the cells, colour by the
 * row's share), per-class precision/recall/F1 with macro and weighted averages (see
 * `precisionRecallF1`), and the optional summary. All text is escaped. The markup is well-formed
 * XML apart from the doctype.
 *
 * @example writeFileSync('report.html', renderReport({ title, history, confusion: cm.counts, classNames, metrics }))
 */
export function renderReport(data: ReportData): string {
  const { title, history, confusion, classNames, metrics, summary } = data;
  const n = confusion.length;
  check(
    confusion.every((row) => row.length === n) && classNames.length === n,
    'renderReport',
    () =>
      `the confusion matrix must be square with one row per class name: got ${classNames.length} names and rows of lengths [${confusion.map((r) => r.length).join(', ')}]`,
  );
  const headline = Object.entries(metrics).map(([k, v]) =>
    cells('td', [escapeHtml(k), formatNumber(v)]),
  );
  const charts = [
    curves(history, 'Loss', { train: 'loss', validation: 'val_loss' }),
    curves(history, 'Accuracy', { train: 'accuracy', validation: 'val_accuracy' }),
    curves(history, 'Learning rate', { 'learning rate': 'lr' }),
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${escapeHtml(title)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<table class="metrics">
${headline.join('\n')}
</table>
<h2>Learning curves</h2>
<div class="charts">
${charts.length ? charts.join('\n') : '<p>No epochs recorded.</p>'}
</div>
<h2>Confusion matrix</h2>
${confusionHeatMap(confusion, classNames)}
<h2>Per class</h2>
${scoreTable(confusion, classNames)}
${summary === undefined ? '' : `<h2>Model</h2>\n<pre>${escapeHtml(summary)}</pre>`}
</body>
</html>
`;
}
