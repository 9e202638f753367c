/** Evenly spaced stops of the colour map, from 0 to 1 (matplotlib's YlOrRd, light to dark). */
const STOPS = [
  [255, 255, 204],
  [254, 217, 118],
  [253, 141, 60],
  [227, 26, 28],
  [128, 0, 38],
] as const;

/**
 * fovea's one colour map, for every heat map it draws (confusion matrices, Grad-CAM, saliency and
 * occlusion overlays, feature maps and filters): a strength in [0, 1] (clamped) to [r, g, b]
 * bytes, from pale yellow through orange and red to dark red, like matplotlib's YlOrRd. It is
 * sequential (lightness falls steadily, so it prints in grey) and its hot end stands out on
 * grey images.
 *
 * @example colorMap(0.5) // [253, 141, 60]
 */
export function colorMap(strength: number): [number, number, number] {
  const position = Math.min(1, Math.max(0, strength)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(position));
  const t = position - i;
  const [from, to] = [STOPS[i], STOPS[i + 1]];
  return [0, 1, 2].map((k) => Math.round(from[k] + (to[k] - from[k]) * t)) as [
    number,
    number,
    number,
  ];
}
