/**
 * An int8 model on disk is a folder of the same two standard files as a float one:
 *
 *   model.safetensors   per quantized layer `<name>.weight` (U8: the int8 weight + 128, since
 *                       safetensors readers widely support U8), `<name>.weight_scale` (F32, one
 *                       per output channel) and `<name>.bias` (I32, in units of input scale ×
 *                       weight scale); any float tensors left (e.g. a transposed conv) by name
 *   config.json         the float model's config (architecture, input shape, normalization,
 *                       classes) plus `quantization`: the scheme and, per layer, its fused
 *                       activation and the uint8 scale and zero point of its input and output
 *
 * Loading rebuilds the zoo architecture, fuses it as `quantize` did (the names then match) and
 * puts the int8 layers in place.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foveaVersion, type ModelConfig, type SaveModelOptions } from '../io/model-file.js';
import { loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { writeFileAtomic } from '../io/atomic-file.js';
import { createModel } from '../nn/zoo/index.js';
import { tensor } from '../tensor/create.js';
import { check, FoveaError, fmt } from '../tensor/errors.js';
import { defaultGenerator } from '../tensor/random.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { fuse } from './fuse.js';
import { getModule, replaceModule } from './module-tree.js';
import type { AffineQuant } from './quant-params.js';
import { QuantizedModel } from './quantize.js';
import {
  isQuantizableUnit,
  quantizedLayerFor,
  unitParts,
  type FusedActivationKind,
} from './quantized-layers.js';

const WEIGHTS_FILE = 'model.safetensors';
const CONFIG_FILE = 'config.json';
const INT8_OFFSET = 128;
const MAX_CONFIG_BYTES = 1 << 22;

/** One layer's entry in config.json. */
export interface QuantizedLayerConfig {
  activation: FusedActivationKind;
  input: AffineQuant;
  output: AffineQuant;
}

/** config.json of an int8 model: the float model's config plus the quantization. */
export interface QuantizedModelConfig extends ModelConfig {
  quantization: {
    weights: string;
    activations: string;
    layers: Record<string, QuantizedLayerConfig>;
  };
}

/**
 * Saves an int8 model (from `quantize` on a zoo model) to the folder `dir`, as described at the
 * top of this file. `options` are those `saveModel` takes for the float model.
 *
 * @example saveQuantizedModel('runs/x/model-int8', q, { architecture: { name: 'fashion_cnn' } });
 */
export function saveQuantizedModel(
  dir: string,
  model: QuantizedModel,
  options: SaveModelOptions,
): void {
  const tensors = new Map<string, Tensor>(model.model.stateDict());
  const layers: Record<string, QuantizedLayerConfig> = {};
  for (const [name, layer] of model.quantizedLayers()) {
    const { weights, bias, input, output } = layer.params;
    const stored = Uint8Array.from(weights.values, (v) => v + INT8_OFFSET);
    tensors.set(`${name}.weight`, new Tensor(stored, [...layer.weightShape], 'uint8'));
    tensors.set(`${name}.weight_scale`, tensor(Array.from(weights.scale)));
    tensors.set(`${name}.bias`, new Tensor(Int32Array.from(bias), [bias.length], 'int32'));
    layers[name] = { activation: layer.activation, input: { ...input }, output: { ...output } };
  }
  const config: QuantizedModelConfig = {
    formatVersion: 1,
    foveaVersion: foveaVersion(),
    architecture: { name: options.architecture.name, options: options.architecture.options ?? {} },
    ...(options.inputShape && { inputShape: [...options.inputShape] }),
    ...(options.normalization && { normalization: options.normalization }),
    ...(options.classNames && { classNames: [...options.classNames] }),
    quantization: {
      weights: `int8 symmetric per output channel, stored as uint8 = int8 + ${INT8_OFFSET}`,
      activations: 'uint8 affine per tensor',
      layers,
    },
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FoveaError(
      'saveQuantizedModel',
      `${dir}: cannot create the folder (${(e as Error).message})`,
    );
  }
  saveSafetensors(join(dir, WEIGHTS_FILE), tensors, { format: 'pt', quantization: 'fovea-int8' });
  writeFileAtomic(
    join(dir, CONFIG_FILE),
    `${JSON.stringify(config, null, 2)}\n`,
    'saveQuantizedModel',
  );
}

/** Reads and checks config.json of an int8 model folder. */
function readConfig(dir: string): QuantizedModelConfig {
  const path = join(dir, CONFIG_FILE);
  const fail = (message: string): never => {
    throw new FoveaError('loadQuantizedModel', `${path}: ${message}`);
  };
  let config: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    if (text.length > MAX_CONFIG_BYTES) fail(`is larger than ${MAX_CONFIG_BYTES} bytes`);
    config = JSON.parse(text);
  } catch (e) {
    if (e instanceof FoveaError) throw e;
    fail(
      `cannot read it as JSON (${(e as Error).message}); is ${dir} written by saveQuantizedModel?`,
    );
  }
  const c = config as Partial<QuantizedModelConfig> | null;
  if (c?.formatVersion !== 1)
    fail(`formatVersion should be 1, got ${JSON.stringify(c?.formatVersion)}`);
  if (typeof c?.architecture?.name !== 'string') fail('architecture.name is missing');
  if (typeof c?.quantization?.layers !== 'object' || c.quantization.layers === null) {
    fail('has no quantization.layers: it is a float model (load it with loadModel)');
  }
  return c as QuantizedModelConfig;
}

/** The float tensor `name` of `tensors`, checked for dtype and shape. */
function stored(
  tensors: Map<string, Tensor>,
  name: string,
  dtype: Tensor['dtype'],
  shape: readonly number[],
): Tensor {
  const t = tensors.get(name);
  check(
    t !== undefined && t.dtype === dtype && sameShape(t.shape, shape),
    'loadQuantizedModel',
    () =>
      `'${name}' should be ${dtype} ${fmt(shape)}, got ${t ? `${t.dtype} ${fmt(t.shape)}` : 'nothing'}`,
  );
  tensors.delete(name);
  return t;
}

/**
 * Loads an int8 model saved by {@link saveQuantizedModel}: the QuantizedModel and its config.
 *
 * @example
 * const { model, config } = loadQuantizedModel('runs/x/model-int8');
 * model.forward(images); // images normalized with config.normalization
 */
export function loadQuantizedModel(dir: string): {
  model: QuantizedModel;
  config: QuantizedModelConfig;
} {
  const config = readConfig(dir);
  const state = defaultGenerator.getState();
  let model;
  try {
    model = fuse(createModel(config.architecture.name, config.architecture.options));
  } finally {
    defaultGenerator.setState(state);
  }
  const { tensors } = loadSafetensors(join(dir, WEIGHTS_FILE));
  for (const [name, layer] of Object.entries(config.quantization.layers)) {
    const unit = getModule(model, name, 'loadQuantizedModel');
    check(
      isQuantizableUnit(unit),
      'loadQuantizedModel',
      () =>
        `'${name}' is a ${unit.constructor.name} in the rebuilt model, not a conv or linear layer`,
    );
    const shape = unitParts(unit).layer.weight.shape;
    const weight = stored(tensors, `${name}.weight`, 'uint8', shape);
    const scale = stored(tensors, `${name}.weight_scale`, 'float32', [shape[0]]);
    const bias = stored(tensors, `${name}.bias`, 'int32', [shape[0]]);
    const params = {
      weights: {
        values: Int8Array.from(weight.data, (v) => v - INT8_OFFSET),
        scale: Float32Array.from(scale.data),
      },
      bias: Int32Array.from(bias.data),
      input: layer.input,
      output: layer.output,
    };
    const quantized = quantizedLayerFor(unit, params);
    check(
      quantized.activation === layer.activation,
      'loadQuantizedModel',
      () =>
        `'${name}' has activation ${quantized.activation} but the config says ${layer.activation}`,
    );
    replaceModule(model, name, quantized, 'loadQuantizedModel');
  }
  model.loadStateDict(tensors);
  return { model: new QuantizedModel(model), config };
}
