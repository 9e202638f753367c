/**
 * The model zoo: architectures with random initialisation, laid out with PyTorch's state-dict
 * names, and a registry that builds them by name from plain-JSON options (what the CLI's
 * `--model NAME` and a saved model's config hold).
 */
import { FoveaError } from '../../tensor/errors.js';
import { FashionCnn, type FashionCnnOptions } from './fashion-cnn.js';
import { LeNet5, type LeNet5Options } from './lenet.js';
import { MobileNetV2, type MobileNetV2Options } from './mobilenet-v2.js';
import type { ModelOptions } from './options.js';
import { ResNet, resnet18, resnet34, type ResNetOptions } from './resnet.js';
import { SmallVgg, type SmallVggOptions } from './small-vgg.js';
import { UNet, type UNetOptions } from './unet.js';

export * from './fashion-cnn.js';
export * from './lenet.js';
export * from './mobilenet-v2.js';
export * from './resnet.js';
export * from './small-vgg.js';
export * from './unet.js';
export type { ModelOptions, OptionValue } from './options.js';

/** Each zoo name with the options it takes and the model it builds. */
export interface Zoo {
  lenet5: { options: LeNet5Options; model: LeNet5 };
  fashion_cnn: { options: FashionCnnOptions; model: FashionCnn };
  small_vgg: { options: SmallVggOptions; model: SmallVgg };
  resnet18: { options: ResNetOptions; model: ResNet };
  resnet34: { options: ResNetOptions; model: ResNet };
  mobilenet_v2: { options: MobileNetV2Options; model: MobileNetV2 };
  unet: { options: UNetOptions; model: UNet };
}

/** A name `createModel` knows. */
export type ModelName = keyof Zoo;

const ZOO: { [N in ModelName]: (options: Zoo[N]['options']) => Zoo[N]['model'] } = {
  lenet5: (o) => new LeNet5(o),
  fashion_cnn: (o) => new FashionCnn(o),
  small_vgg: (o) => new SmallVgg(o),
  resnet18,
  resnet34,
  mobilenet_v2: (o) => new MobileNetV2(o),
  unet: (o) => new UNet(o),
};

/** The names `createModel` knows: lenet5, fashion_cnn (the default), small_vgg, resnet18, ... */
export function modelNames(): ModelName[] {
  return Object.keys(ZOO) as ModelName[];
}

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Builds the zoo model `name` with `options` (plain JSON; unknown option names are refused).
 * `{ name, options }` is how a config file or the CLI (`--model resnet18`) names an
 * architecture; the model's `options` property holds them with the defaults filled in.
 *
 * @example
 * const model = createModel('resnet18', { stem: 'cifar', numClasses: 10 });
 * createModel('fashion_cnn'); // fovea's default model for 28×28 grey images
 */
export function createModel<N extends ModelName>(
  name: N,
  options?: Zoo[N]['options'],
): Zoo[N]['model'];
export function createModel(name: string, options?: ModelOptions): Zoo[ModelName]['model'];
export function createModel(name: string, options: ModelOptions = {}): Zoo[ModelName]['model'] {
  if (!Object.hasOwn(ZOO, name)) {
    const near = modelNames().find((n) => squash(n) === squash(name));
    throw new FoveaError(
      'createModel',
      `unknown model '${name}'${near ? ` (did you mean '${near}'?)` : ''}; the zoo has ${modelNames().join(', ')}`,
    );
  }
  // Each builder checks its own options: the name picks the builder, so the cast is safe.
  return (ZOO[name as ModelName] as (o: ModelOptions) => Zoo[ModelName]['model'])(options);
}
