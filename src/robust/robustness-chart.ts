import { lineChart } from '../analysis/line-chart.js';
import type { RobustnessPoint } from './robustness-curve.js';

/** One model's curve in `robustnessChart`. */
export interface RobustnessSeries {
  name: string;
  points: readonly RobustnessPoint[];
}

/**
 * An SVG line chart of accuracy (%) against ε, one line per model (e.g. plain and adversarially
 * trained); `title` names the attack. Render it to PNG with sharp if needed.
 *
 * @example writeFileSync('robustness.svg', robustnessChart([{ name: 'plain', points: curve }], 'PGD-10, L∞'));
 */
export function robustnessChart(series: readonly RobustnessSeries[], title = 'Robustness'): string {
  return lineChart({
    title,
    xLabel: 'ε (perturbation budget)',
    yLabel: 'accuracy (%)',
    integerX: false,
    series: series.map((s) => ({
      name: s.name,
      points: s.points.map((p) => [p.eps, 100 * p.accuracy] as const),
    })),
  });
}
