import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import {
  attributionMap,
  EXPLAIN_METHODS,
  type ExplainMethod,
} from '../src/explain/attribution-map.js';
import { featureMaps } from '../src/explain/feature-maps.js';
import { firstLayerFilters } from '../src/explain/filters.js';
import { heatMapOverlay, tileImage } from '../src/explain/images.js';
import { lastSpatialLayer } from '../src/explain/layer.js';
import { argmax } from '../src/ops/reduce.js';
import { reshape } from '../src/ops/reshape.js';
import { select } from '../src/ops/slice.js';
import { check } from '../src/tensor/errors.js';
import { predict } from '../src/train/fit.js';
import { openModel, readImages } from './inspect.js';

/** Options of `fovea explain`. */
export interface ExplainCommandOptions {
  method: string;
  layer?: string;
  target?: number;
  out: string;
  scale?: number;
}

/** What `--method` takes: the attribution methods, and the feature maps and first-layer filters. */
const CLI_METHODS: readonly string[] = [...EXPLAIN_METHODS, 'features', 'filters'];

/** About how many pixels a heat map, or one tile of a grid, is enlarged to by default. */
const [VIEW_SIZE, TILE_SIZE] = [224, 56];

/** The default magnification that brings a `size`-pixel image to about `target` pixels. */
const magnify = (size: number, target: number) => Math.max(1, Math.round(target / size));

/**
 * `fovea explain MODEL [IMAGE...] --method M [--layer NAME] [--target K] --out DIR`: for each
 * image, a PNG in DIR named `<image>-<method>.png` — the method's heat map over the image, or
 * with `features` the feature maps of `--layer` in a grid — and a line saying what it shows;
 * `filters` draws the first convolution's filters once, to `filters.png`.
 */
export async function explainCommand(
  dir: string,
  images: string[],
  options: ExplainCommandOptions,
  print: (line: string) => void,
): Promise<void> {
  const { method } = options;
  check(
    CLI_METHODS.includes(method),
    'explain',
    () => `unknown --method '${method}'; use one of ${CLI_METHODS.join(', ')}`,
  );
  check(
    method === 'filters' || images.length > 0,
    'explain',
    () => `--method ${method} needs at least one image`,
  );
  const { model, config } = openModel(dir);
  mkdirSync(options.out, { recursive: true });
  if (method === 'filters') {
    const { layer, weight } = firstLayerFilters(model);
    const [outC, inC, kh, kw] = weight.shape;
    const file = join(options.out, 'filters.png');
    const scale = options.scale ?? magnify(kh, TILE_SIZE / 2);
    writeFileSync(
      file,
      await tileImage(reshape(weight, [outC * inC, kh, kw]), {
        scale,
        columns: inC > 1 ? inC : undefined,
      }),
    );
    print(`${layer}: ${outC} filters of ${inC}×${kh}×${kw} → ${file}`);
    return;
  }
  const { pixels, batch } = await readImages(dir, config, images, 'explain');
  const output = (path: string) =>
    join(options.out, `${basename(path, extname(path))}-${method}.png`);
  if (method === 'features') {
    const layer = options.layer ?? lastSpatialLayer(model, batch, 'explain');
    const maps = featureMaps(model, batch, layer);
    check(
      maps.ndim === 4,
      'explain',
      () =>
        `layer '${layer}' outputs shape [${maps.shape.join(',')}], not feature maps [N, C, H, W]`,
    );
    const scale = options.scale ?? magnify(maps.shape[2], TILE_SIZE);
    for (const [n, path] of images.entries()) {
      writeFileSync(output(path), await tileImage(select(maps, 0, n), { scale }));
      print(`${path}: ${maps.shape[1]} feature maps of ${layer} → ${output(path)}`);
    }
    return;
  }
  const usesLayer = method === 'gradcam' || method === 'gradcampp';
  const layer = usesLayer
    ? (options.layer ?? lastSpatialLayer(model, batch, 'explain'))
    : undefined;
  const classes = argmax(predict(model, batch), 1);
  const target = options.target ?? Array.from(classes.data);
  const maps = attributionMap(model, batch, { method: method as ExplainMethod, layer, target });
  const scale = options.scale ?? magnify(Math.min(...batch.shape.slice(2)), VIEW_SIZE);
  const name = (k: number) => config.classNames?.[k] ?? String(k);
  for (const [n, path] of images.entries()) {
    writeFileSync(output(path), await heatMapOverlay(pixels[n], select(maps, 0, n), { scale }));
    const explained = typeof target === 'number' ? target : target[n];
    print(
      `${path}: predicted ${name(classes.data[n])}, explained ${name(explained)}${layer ? ` at ${layer}` : ''} → ${output(path)}`,
    );
  }
}
