import { colorMap } from './color-map.js';
import { escapeHtml } from './html.js';

/** Names longer than this are cut (with …) on the axes; the cells' tooltips keep them whole. */
const MAX_LABEL = 18;

const shortName = (name: string) =>
  name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name;

/**
 * An SVG heat map of a confusion matrix (rows true classes, columns predictions): each cell shows
 * its count, coloured by its share of the row (so every class reads alike, whatever its size),
 * with class names on both axes and a tooltip per cell. Text is escaped.
 *
 * @example confusionHeatMap([[50, 2], [3, 45]], ['cat', 'dog'])
 */
export function confusionHeatMap(
  confusion: readonly (readonly number[])[],
  classNames: readonly string[],
): string {
  const n = confusion.length;
  const cell = Math.max(14, Math.min(44, Math.floor(560 / Math.max(n, 1))));
  const font = Math.max(7, Math.min(12, Math.floor(cell * 0.32)));
  const labelWidth = 12 + 6.5 * Math.max(4, ...classNames.map((c) => shortName(c).length));
  const [left, top] = [28 + labelWidth, 40];
  const bottom = 30 + labelWidth * Math.SQRT1_2;
  const [width, height] = [left + n * cell + 16, top + n * cell + bottom];
  const cells = confusion.flatMap((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((count, j) => {
      const share = total === 0 ? 0 : count / total;
      const [x, y] = [left + j * cell, top + i * cell];
      const tip = `true ${classNames[i]}, predicted ${classNames[j]}: ${count} (${(100 * share).toFixed(1)}% of the row)`;
      return `<g class="cell"><title>${escapeHtml(tip)}</title><rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${colorMap(share).join(',')})" /><text x="${x + cell / 2}" y="${y + cell / 2}" dy="0.35em" text-anchor="middle" font-size="${font}" fill="${share > 0.5 ? '#fff' : '#222'}">${count}</text></g>`;
    });
  });
  const labels = classNames.flatMap((name, i) => {
    const text = escapeHtml(shortName(name));
    const middle = i * cell + cell / 2;
    return [
      `<text x="${left - 6}" y="${top + middle}" dy="0.35em" text-anchor="end" font-size="11">${text}</text>`,
      `<text transform="translate(${left + middle} ${top + n * cell + 8}) rotate(-45)" text-anchor="end" font-size="11">${text}</text>`,
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="heat-map" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="confusion matrix">`,
    `<text x="${left}" y="16" font-size="12" fill="#555">Colour: share of the true class's samples (each row sums to 100%)</text>`,
    ...cells,
    `<rect x="${left}" y="${top}" width="${n * cell}" height="${n * cell}" fill="none" stroke="#888" />`,
    ...labels,
    `<text x="${left + (n * cell) / 2}" y="${height - 6}" text-anchor="middle" font-size="12">Predicted class</text>`,
    `<text transform="translate(14 ${top + (n * cell) / 2}) rotate(-90)" text-anchor="middle" font-size="12">True class</text>`,
    '</svg>',
  ].join('\n');
}
