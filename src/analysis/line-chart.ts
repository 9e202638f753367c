import { escapeHtml } from './html.js';

/** One line of a chart: a name for the legend and its points. */
export interface ChartSeries {
  name: string;
  /** [x, y] pairs; points with a non-finite y (a NaN loss) are left out. */
  points: readonly (readonly [number, number])[];
  /** CSS colour (default: the next of a colour-blind-safe palette). */
  color?: string;
}

/** What `lineChart` draws. */
export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ChartSeries[];
  /** Whole-number x ticks only (epochs). Default true. */
  integerX?: boolean;
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];

/** A step of 1, 2 or 5 × 10^k giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Tick values on round numbers covering [lo, hi]; the first and last are the axis ends. */
function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (lo === hi) [lo, hi] = [lo - (Math.abs(lo) * 0.1 || 1), hi + (Math.abs(hi) * 0.1 || 1)];
  const step = Math.max(niceStep(hi - lo, count), integer ? 1 : 0);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  // Multiplying integers (not adding steps) keeps 0.1 + 0.2 noise out of the labels.
  return Array.from({ length: last - first + 1 }, (_, i) =>
    Number(((first + i) * step).toPrecision(12)),
  );
}

/**
 * Labels for evenly spaced ticks, all with the decimals their step needs (0.65, 0.70, 0.75), in
 * exponent form with one mantissa precision when the step is tiny (learning rates: 2.0e-5).
 */
function tickLabels(ticks: readonly number[]): string[] {
  const step = ticks[1] - ticks[0];
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  if (step >= 1e-4) return ticks.map((v) => v.toFixed(decimals));
  const largest = Math.max(...ticks.map(Math.abs));
  const digits = Math.max(0, Math.floor(Math.log10(largest)) - Math.floor(Math.log10(step) + 1e-9));
  return ticks.map((v) => (v === 0 ? '0' : v.toExponential(digits)));
}

/** The legend: a row of coloured strokes and names above the plot, starting at (x, y). */
function legend(series: readonly Required<ChartSeries>[], x: number, y: number): string {
  const entries = series.map((s) => {
    const entry = `<g class="legend"><line x1="${x}" y1="${y}" x2="${x + 18}" y2="${y}" stroke="${s.color}" stroke-width="2" /><text x="${x + 24}" y="${y}" dy="0.32em" font-size="11">${escapeHtml(s.name)}</text></g>`;
    x += 40 + 7 * s.name.length;
    return entry;
  });
  return entries.join('');
}

/**
 * An SVG line chart: one polyline (with a dot on each point) per series, x and y axes with ticks
 * on round numbers, axis labels, a title and a legend. Self-contained markup, text escaped.
 *
 * @example lineChart({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', points: [[1, 0.9], [2, 0.5]] }] })
 */
export function lineChart(options: LineChartOptions): string {
  const { title, xLabel, yLabel, integerX = true, width = 520, height = 320 } = options;
  const series = options.series
    .map((s, k) => ({
      ...s,
      color: s.color ?? PALETTE[k % PALETTE.length],
      points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
    }))
    .filter((s) => s.points.length > 0);
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = series.flatMap((s) => s.points.map(([, y]) => y));
  const xTicks = xs.length ? niceTicks(Math.min(...xs), Math.max(...xs), 8, integerX) : [0, 1];
  const yTicks = ys.length ? niceTicks(Math.min(...ys), Math.max(...ys)) : [0, 1];
  const [left, right, top, bottom] = [64, 16, 56, 48];
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const px = (x: number) => (left + ((x - x0) / (x1 - x0)) * (width - left - right)).toFixed(1);
  const py = (y: number) =>
    (height - bottom - ((y - y0) / (y1 - y0)) * (height - top - bottom)).toFixed(1);
  const [xLabels, yLabels] = [tickLabels(xTicks), tickLabels(yTicks)];
  const plotBottom = height - bottom;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="${(left + width - right) / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeHtml(title)}</text>`,
    ...yTicks.map(
      (v, i) =>
        `<line x1="${left}" y1="${py(v)}" x2="${width - right}" y2="${py(v)}" stroke="#e6e6e6" /><text x="${left - 6}" y="${py(v)}" dy="0.32em" text-anchor="end" font-size="11">${yLabels[i]}</text>`,
    ),
    ...xTicks.map(
      (v, i) =>
        `<line x1="${px(v)}" y1="${plotBottom}" x2="${px(v)}" y2="${plotBottom + 5}" stroke="#444" /><text x="${px(v)}" y="${plotBottom + 18}" text-anchor="middle" font-size="11">${xLabels[i]}</text>`,
    ),
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${plotBottom}" stroke="#444" />`,
    `<line x1="${left}" y1="${plotBottom}" x2="${width - right}" y2="${plotBottom}" stroke="#444" />`,
    `<text x="${(left + width - right) / 2}" y="${height - 8}" text-anchor="middle" font-size="12">${escapeHtml(xLabel)}</text>`,
    `<text transform="translate(16 ${(top + plotBottom) / 2}) rotate(-90)" text-anchor="middle" font-size="12">${escapeHtml(yLabel)}</text>`,
    ...series.map(
      (s) =>
        `<g class="series" fill="${s.color}"><polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ')}" />${s.points.map(([x, y]) => `<circle cx="${px(x)}" cy="${py(y)}" r="2.5" />`).join('')}</g>`,
    ),
    legend(series, left, 40),
    '</svg>',
  ];
  return out.join('\n');
}
