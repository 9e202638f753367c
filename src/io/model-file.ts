/**
 * A saved model is a folder of two standard files:
 *
 *   model.safetensors   the state dict (parameters and buffers by PyTorch name), `{format: 'pt'}`
 *                       metadata, so `safetensors.torch.load_file` + `load_state_dict` read it too
 *   config.json         what it takes to rebuild and use the model: the zoo architecture (name and
 *                       options, as `createModel` takes them), the input shape, the input
 *                       normalization and the class names
 *
 * Both are written crash-safely (temporary file, fsync, rename), weights first: after a crash the
 * folder holds the old or the new weights beside the old or the new config.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel } from '../nn/zoo/index.js';
import type { ModelOptions } from '../nn/zoo/options.js';
import type { Module } from '../nn/module.js';
import { FoveaError, fmt } from '../tensor/errors.js';
import { defaultGenerator } from '../tensor/random.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic-file.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';

const WEIGHTS_FILE = 'model.safetensors';
const CONFIG_FILE = 'config.json';
const FORMAT_VERSION = 1;
const MAX_CONFIG_BYTES = 1 << 20;
const UNSAFE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Per-channel input normalization: the model sees (pixel − mean) / std. */
export interface Normalization {
  mean: number[];
  std: number[];
}

/** The contents of a saved model's config.json. */
export interface ModelConfig {
  /** The version of this file's layout (1). */
  formatVersion: number;
  /** The fovea version that wrote the file. */
  foveaVersion: string;
  /** The zoo architecture: `createModel(name, options)` rebuilds it. */
  architecture: { name: string; options: ModelOptions };
  /** One input without the batch dim, e.g. [1, 28, 28]. */
  inputShape?: number[];
  normalization?: Normalization;
  /** The name of each output class, in output order. */
  classNames?: string[];
}

/** What saveModel stores beside the weights. */
export interface SaveModelOptions {
  /** The zoo name and options the model was built with (`createModel(name, options)`). */
  architecture: { name: string; options?: ModelOptions };
  normalization?: Normalization;
  classNames?: string[];
  /** One input without the batch dim, e.g. [3, 32, 32]. */
  inputShape?: number[];
}

/**
 * Saves a zoo model to the folder `dir` (created if needed): `model.safetensors` holds the state
 * dict, `config.json` the architecture and how inputs are prepared. The architecture is checked
 * first: a model whose parameters do not match `createModel(name, options)` is refused, since it
 * could not be loaded back.
 *
 * @example
 * const model = createModel('lenet5', { numClasses: 10 });
 * saveModel('runs/lenet', model, {
 *   architecture: { name: 'lenet5', options: { numClasses: 10 } },
 *   inputShape: [1, 28, 28],
 *   normalization: { mean: [0.286], std: [0.353] },
 *   classNames: ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Boot'],
 * });
 */
export function saveModel(dir: string, model: Module, options: SaveModelOptions): void {
  const config: ModelConfig = {
    formatVersion: FORMAT_VERSION,
    foveaVersion: foveaVersion(),
    architecture: { name: options.architecture.name, options: options.architecture.options ?? {} },
    ...(options.inputShape && { inputShape: [...options.inputShape] }),
    ...(options.normalization && {
      normalization: { mean: [...options.normalization.mean], std: [...options.normalization.std] },
    }),
    ...(options.classNames && { classNames: [...options.classNames] }),
  };
  checkConfig(config, (message) => {
    throw new FoveaError('saveModel', message);
  });
  const state = model.stateDict();
  const mismatch = describeMismatch(rebuild(config, 'saveModel', 'options.architecture'), state);
  if (mismatch) {
    throw new FoveaError(
      'saveModel',
      `the model does not match architecture ${describe(config)}, so it could not be loaded back: ${mismatch}. Pass the name and options the model was created with.`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FoveaError('saveModel', `${dir}: cannot create the folder (${(e as Error).message})`);
  }
  saveSafetensors(join(dir, WEIGHTS_FILE), state, { format: 'pt' });
  writeFileAtomic(join(dir, CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`, 'saveModel');
}

/**
 * Loads a model saved by `saveModel`: rebuilds the architecture from the zoo, loads the weights
 * strictly (every key present, none extra, every shape equal) and returns the model in eval mode
 * (call `model.train()` to fine-tune) with its config.
 *
 * @example
 * const { model, config } = loadModel('runs/lenet');
 * const logits = model.forward(images); // normalize images with config.normalization first
 * config.classNames![argmax(logits, 1).data[0]]; // 'Sneaker'
 */
export function loadModel(dir: string): { model: Module; config: ModelConfig } {
  const configPath = join(dir, CONFIG_FILE);
  const fail = (message: string): never => {
    throw new FoveaError('loadModel', `${configPath}: ${message}`);
  };
  let text = '';
  try {
    // A config is a few hundred bytes; refuse a huge file before reading it into memory.
    const size = statSync(configPath).size;
    if (size > MAX_CONFIG_BYTES)
      fail(`is ${size} bytes; a model config is at most ${MAX_CONFIG_BYTES}`);
    text = readFileSync(configPath, 'utf8');
  } catch (e) {
    if (e instanceof FoveaError) throw e;
    fail(
      `cannot read the model config (${(e as Error).message}); is ${dir} a folder written by saveModel?`,
    );
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    fail(`not valid JSON (${(e as Error).message})`);
  }
  checkConfig(config, fail);
  if ('quantization' in config) {
    fail('holds an int8 model written by saveQuantizedModel; load it with loadQuantizedModel');
  }

  const model = rebuild(config, 'loadModel', configPath);
  const weightsPath = join(dir, WEIGHTS_FILE);
  const { tensors } = loadSafetensors(weightsPath);
  const mismatch = describeMismatch(model, tensors);
  if (mismatch) {
    throw new FoveaError(
      'loadModel',
      `${weightsPath} does not match architecture ${describe(config)} of ${CONFIG_FILE}: ${mismatch}`,
    );
  }
  model.loadStateDict(tensors);
  return { model: model.eval(), config };
}

/**
 * `createModel` for the config, its errors prefixed with where the architecture came from. The
 * default generator's state is restored afterwards: the random initialisation is overwritten or
 * thrown away, and saving or loading a model must not shift a seeded run's random stream.
 */
function rebuild(config: ModelConfig, op: string, source: string): Module {
  const { name, options } = config.architecture;
  const state = defaultGenerator.getState();
  try {
    return createModel(name, options);
  } catch (e) {
    if (!(e instanceof FoveaError)) throw e;
    throw new FoveaError(op, `${source}: cannot build architecture '${name}': ${e.message}`);
  } finally {
    defaultGenerator.setState(state);
  }
}

/** What differs between a model's state dict and `state`, or '' when they match. */
function describeMismatch(model: Module, state: ReadonlyMap<string, Tensor>): string {
  const own = model.stateDict();
  const missing = [...own.keys()].filter((k) => !state.has(k));
  const unexpected = [...state.keys()].filter((k) => !own.has(k));
  const shapes = [...own]
    .filter(([k, t]) => state.has(k) && !sameShape(state.get(k)!.shape, t.shape))
    .map(([k, t]) => `'${k}' is ${fmt(state.get(k)!.shape)} but the model has ${fmt(t.shape)}`);
  const problems = [
    missing.length > 0 && `missing keys ${list(missing)}`,
    unexpected.length > 0 && `unexpected keys ${list(unexpected)}`,
    shapes.length > 0 && `mismatched shapes: ${shapes.slice(0, 5).join('; ')}${more(shapes, 5)}`,
  ];
  return problems.filter(Boolean).join('; ');
}

function list(keys: string[]): string {
  return `[${keys.slice(0, 8).join(', ')}${more(keys, 8)}]`;
}

function more(items: unknown[], shown: number): string {
  return items.length > shown ? ` and ${items.length - shown} more` : '';
}

function describe(config: ModelConfig): string {
  return `'${config.architecture.name}' ${JSON.stringify(config.architecture.options)}`;
}

/** Checks a config's form (from a caller or a file): types, sizes, finite numbers, safe keys. */
function checkConfig(
  config: unknown,
  fail: (message: string) => never,
): asserts config is ModelConfig {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  const numbers = (v: unknown, ok: (x: number) => boolean): v is number[] =>
    Array.isArray(v) && v.every((x) => typeof x === 'number' && ok(x));
  if (!isObject(config)) fail(`the config should be a JSON object, got ${JSON.stringify(config)}`);
  if (config.formatVersion !== FORMAT_VERSION) {
    fail(
      `formatVersion is ${JSON.stringify(config.formatVersion)} but this fovea reads ${FORMAT_VERSION}; a newer fovea may have written it`,
    );
  }
  const { architecture, inputShape, normalization, classNames } = config;
  if (!isObject(architecture) || typeof architecture.name !== 'string' || !architecture.name) {
    fail(
      `architecture should be { name: string, options: {...} }, got ${JSON.stringify(architecture)}`,
    );
  }
  if (!isObject(architecture.options)) {
    fail(`architecture.options should be an object, got ${JSON.stringify(architecture.options)}`);
  }
  for (const [key, value] of Object.entries(architecture.options)) {
    if (UNSAFE_KEYS.includes(key)) fail(`architecture.options has the unsafe key '${key}'`);
    if (!['number', 'string', 'boolean'].includes(typeof value)) {
      fail(
        `architecture option '${key}' should be a number, string or boolean, got ${JSON.stringify(value)}`,
      );
    }
  }
  if (inputShape !== undefined && !numbers(inputShape, (d) => Number.isInteger(d) && d > 0)) {
    fail(
      `inputShape should be a list of positive integers such as [1, 28, 28], got ${JSON.stringify(inputShape)}`,
    );
  }
  if (normalization !== undefined) {
    const { mean, std } = isObject(normalization) ? normalization : { mean: null, std: null };
    if (!numbers(mean, Number.isFinite) || !numbers(std, (s) => Number.isFinite(s) && s > 0)) {
      fail(
        `normalization should be { mean: number[], std: number[] } with std > 0, got ${JSON.stringify(normalization)}`,
      );
    }
    const channels = (inputShape as number[] | undefined)?.[0];
    if (mean.length !== std.length || (channels !== undefined && mean.length !== channels)) {
      fail(
        `normalization has ${mean.length} means and ${std.length} stds${channels === undefined ? '' : ` for ${channels} input channels`}; give one of each per channel`,
      );
    }
  }
  if (
    classNames !== undefined &&
    !(Array.isArray(classNames) && classNames.every((c) => typeof c === 'string'))
  ) {
    fail(`classNames should be a list of strings, got ${JSON.stringify(classNames)}`);
  }
}

let version: string | undefined;

/** fovea's version, from the package.json above this file (src/io or dist/src/io). */
export function foveaVersion(): string {
  if (version !== undefined) return version;
  version = 'unknown';
  for (
    let dir = dirname(fileURLToPath(import.meta.url));
    dir !== dirname(dir);
    dir = dirname(dir)
  ) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      if (pkg.name === 'fovea' && typeof pkg.version === 'string') return (version = pkg.version);
    } catch {
      // no package.json here: look one folder up
    }
  }
  return version;
}
