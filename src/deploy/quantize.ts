import { noGrad } from '../autograd/grad-mode.js';
import { Module } from '../nn/module.js';
import { FoveaError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { fuse } from './fuse.js';
import type { FuseOptions } from './fold-batchnorm.js';
import { FusedLayer } from './fused-layer.js';
import { replaceModule } from './module-tree.js';
import { RangeObserver, type CalibrationMethod } from './observer.js';
import { affineUint8 } from './quant-params.js';
import {
  isQuantizableUnit,
  QuantizedLayer,
  quantizedLayerFor,
  quantizeParams,
  type QuantizableUnit,
} from './quantized-layers.js';

/** Options of {@link quantize}. */
export interface QuantizeOptions extends FuseOptions {
  /** How activation ranges are chosen from the calibration data (default 'minmax'). */
  calibration?: CalibrationMethod;
  /** The percentile kept by 'percentile' calibration (default 99.99). */
  percentile?: number;
}

/**
 * A model whose convs and linear layers run in int8 (`QuantizedConv`, `QuantizedLinear`), with
 * everything else (pooling, flatten, residual additions, activations that are not fused) in
 * float32 between them. Made by {@link quantize}; saved by `saveQuantizedModel`. It only infers:
 * `forward` runs without gradients.
 *
 * @example
 * const q = quantize(model, calibrationBatches);
 * q.forward(images).argmax(1);
 */
export class QuantizedModel extends Module {
  constructor(readonly model: Module) {
    super();
    this.eval();
  }

  forward(x: Tensor): Tensor {
    return noGrad(() => this.model.forward(x));
  }

  /** The int8 layers with their dotted names (relative to `model`). */
  quantizedLayers(): [string, QuantizedLayer][] {
    return this.model
      .namedModules()
      .filter((e): e is [string, QuantizedLayer] => e[1] instanceof QuantizedLayer);
  }

  /** Bytes of the weights as stored: int8 layers plus the float32/int32 tensors left. */
  byteSize(): number {
    const quantized = this.quantizedLayers().reduce((s, [, l]) => s + l.byteSize, 0);
    const rest = [...this.model.stateDict().values()].reduce((s, t) => s + t.data.byteLength, 0);
    return quantized + rest;
  }
}

/** The units of a fused model that become quantized layers (not the layers inside a FusedLayer). */
function quantizableUnits(model: Module): [string, QuantizableUnit][] {
  const fused = new Set<Module>(
    model.namedModules().flatMap(([, m]) => (m instanceof FusedLayer ? [m.layer] : [])),
  );
  return model
    .namedModules()
    .filter((e): e is [string, QuantizableUnit] => isQuantizableUnit(e[1]) && !fused.has(e[1]));
}

/**
 * Post-training static int8 quantization. The model is fused first (`fuse`: batch norms folded,
 * ReLU/ReLU6 merged into the conv or linear before them — in place), then the calibration
 * batches run through it while each conv/linear unit's input and output ranges are observed
 * ('minmax' or 'percentile'), then each unit is replaced by its int8 version: per-channel
 * symmetric int8 weights, affine uint8 activations, int32 bias and accumulation. Convs with a
 * non-zero padding mode and transposed convs stay float32. A few hundred images from the
 * training set are enough calibration.
 *
 * @example
 * const q = quantize(loadModel('runs/x/model').model, [batch1, batch2]);
 */
export function quantize(
  model: Module,
  calibrationBatches: Iterable<Tensor>,
  options: QuantizeOptions = {},
): QuantizedModel {
  fuse(model, options);
  const units = quantizableUnits(model);
  if (units.length === 0) {
    throw new FoveaError('quantize', 'the model has no Conv1d/2d/3d or Linear layer to quantize');
  }
  const observe = () => new RangeObserver(options.calibration, options.percentile);
  const observers = units.map(([, unit]) => {
    const seen = { input: observe(), output: observe() };
    const handle = unit.registerForwardHook((_m, x, y) => {
      seen.input.observe(x.data);
      seen.output.observe(y.data);
    });
    return { seen, handle };
  });
  let batches = 0;
  try {
    noGrad(() => {
      for (const batch of calibrationBatches) {
        model.forward(batch);
        batches++;
      }
    });
  } finally {
    observers.forEach(({ handle }) => handle.remove());
  }
  if (batches === 0) throw new FoveaError('quantize', 'no calibration batches were given');
  units.forEach(([name, unit], i) => {
    const { seen } = observers[i];
    const params = quantizeParams(
      unit,
      affineUint8(...seen.input.range()),
      affineUint8(...seen.output.range()),
    );
    replaceModule(model, name, quantizedLayerFor(unit, params), 'quantize');
  });
  return new QuantizedModel(model);
}
