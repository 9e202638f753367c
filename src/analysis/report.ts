import type { Logs } from '../train/callback.js';
import { precisionRecallF1 } from '../train/metrics.js';

/** What a training report shows. */
export interface ReportData {
  title: string;
  /** One entry per epoch, as fit returns it (loss, accuracy, val_loss, val_accuracy, lr...). */
  history: readonly Logs[];
  /** Test-set confusion matrix, rows = true classes. */
  confusion: readonly (readonly number[])[];
  classNames: readonly string[];
  /** Headline numbers, e.g. { 'test accuracy': 0.91 }. */
  metrics: Readonly<Record<string, number>>;
  /** Preformatted text shown as is (e.g. the model summary). */
  summary?: string;
}

/** Escapes text for HTML and SVG (class names come from folder names). */
function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

/** An SVG line chart of named series over epochs 1..n, with axes, ticks and a legend. */
export function lineChart(
  title: string,
  series: Readonly<Record<string, readonly number[]>>,
): string {
  const [W, H, left, right, top, bottom] = [460, 280, 52, 120, 30, 40];
  const entries = Object.entries(series).filter(
    ([, ys]) => ys.length > 0 && ys.every(Number.isFinite),
  );
  const all = entries.flatMap(([, ys]) => ys);
  const n = Math.max(1, ...entries.map(([, ys]) => ys.length));
  const [lo, hi] = all.length ? [Math.min(...all), Math.max(...all)] : [0, 1];
  const span = hi - lo || 1;
  const x = (i: number) => left + (n === 1 ? 0.5 : i / (n - 1)) * (W - left - right);
  const y = (v: number) => top + (1 - (v - lo) / span) * (H - top - bottom);
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * span);
  const xTicks = Array.from({ length: n }, (_, i) => i).filter(
    (i) => n <= 10 || i % Math.ceil(n / 10) === 0,
  );
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${escape(title)}">`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-weight="bold">${escape(title)}</text>`,
    `<line x1="${left}" y1="${H - bottom}" x2="${W - right}" y2="${H - bottom}" stroke="#333"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${H - bottom}" stroke="#333"/>`,
    ...yTicks.map(
      (v) =>
        `<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toPrecision(3)}</text><line x1="${left}" y1="${y(v)}" x2="${W - right}" y2="${y(v)}" stroke="#eee"/>`,
    ),
    ...xTicks.map(
      (i) =>
        `<text x="${x(i)}" y="${H - bottom + 16}" text-anchor="middle" font-size="11">${i + 1}</text>`,
    ),
    `<text x="${(left + W - right) / 2}" y="${H - 6}" text-anchor="middle" font-size="12">epoch</text>`,
    ...entries.map(([name, ys], k) => {
      const color = COLORS[k % COLORS.length];
      const points = ys.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"/><text x="${W - right + 10}" y="${top + 16 * k + 10}" font-size="12" fill="${color}">${escape(name)}</text>`;
    }),
    '</svg>',
  ];
  return parts.join('\n');
}

/** An SVG heat map of a confusion matrix: counts in cells, colour by the row's share. */
export function confusionHeatmap(
  confusion: readonly (readonly number[])[],
  classNames: readonly string[],
): string {
  const n = confusion.length;
  const [cell, left, top] = [36, 110, 110];
  const size = left + n * cell + 10;
  const cells = confusion.flatMap((row, i) => {
    const total = row.reduce((s, v) => s + v, 0) || 1;
    return row.map((v, j) => {
      const share = v / total;
      const fill = `rgb(${Math.round(255 - 200 * share)},${Math.round(255 - 120 * share)},255)`;
      return `<rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"/><text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" font-size="11">${v}</text>`;
    });
  });
  const labels = classNames
    .slice(0, n)
    .flatMap((name, i) => [
      `<text x="${left - 6}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end" font-size="11">${escape(name)}</text>`,
      `<text transform="translate(${left + i * cell + cell / 2},${top - 6}) rotate(-60)" font-size="11">${escape(name)}</text>`,
    ]);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" role="img" aria-label="confusion matrix">`,
    `<text x="${left}" y="14" font-size="12">columns: predicted · rows: true class</text>`,
    ...cells,
    ...labels,
    '</svg>',
  ].join('\n');
}

/**
 * A self-contained HTML page (no scripts, no external files) a person can open after training:
 * headline metrics, learning curves (loss and accuracy per epoch, train and validation), the
 * confusion matrix as a heat map, per-class precision/recall/F1, and an optional model summary.
 */
export function renderReport(data: ReportData): string {
  const column = (key: string) => data.history.map((h) => h[key]).filter((v) => v !== undefined);
  const scores = precisionRecallF1(data.confusion);
  const rows = data.classNames.map(
    (name, i) =>
      `<tr><td>${escape(name)}</td><td>${scores.precision[i]?.toFixed(3)}</td><td>${scores.recall[i]?.toFixed(3)}</td><td>${scores.f1[i]?.toFixed(3)}</td><td>${scores.support[i]}</td></tr>`,
  );
  const metrics = Object.entries(data.metrics).map(
    ([k, v]) => `<li><b>${escape(k)}</b>: ${v.toFixed(4)}</li>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(data.title)}</title>
<style>body{font-family:sans-serif;margin:24px;max-width:1000px}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}td:first-child,th:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:16px}pre{background:#f6f6f6;padding:8px;overflow:auto}</style>
</head><body>
<h1>${escape(data.title)}</h1>
<ul>${metrics.join('')}</ul>
<h2>Learning curves</h2>
<div class="charts">
${lineChart('loss', { train: column('loss'), validation: column('val_loss') })}
${lineChart('accuracy', { train: column('accuracy'), validation: column('val_accuracy') })}
</div>
<h2>Confusion matrix (test set)</h2>
${confusionHeatmap(data.confusion, data.classNames)}
<h2>Per class</h2>
<table><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${rows.join('')}</table>
${data.summary ? `<h2>Model</h2><pre>${escape(data.summary)}</pre>` : ''}
</body></html>
`;
}
