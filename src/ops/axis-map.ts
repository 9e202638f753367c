import type { AxisMap, ResampleDims } from '../backend/backend.js';
import { record } from '../autograd/node.js';
import { getBackend } from '../tensor/backend-registry.js';
import { numel } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { empty } from './util.js';

/**
 * Applies a sparse linear map along one axis (see AxisMap): the one mechanism behind slicing,
 * index selection, every padding mode and interpolation. Differentiable; its adjoint is
 * `unmapAxis`. Shape: x's shape with dim `axis` of size index.length / taps.
 */
export function mapAxis(x: Tensor, axis: number, map: AxisMap, name: string): Tensor {
  const outSize = map.index.length / map.taps;
  const dims = resampleDims(x.shape, axis, x.shape[axis], outSize);
  const out = empty(withAxis(x.shape, axis, outSize), x.dtype);
  getBackend().resample(x.data, dims, map, out.data);
  return record(name, out, [x], (g) => [unmapAxis(g, axis, map, x.shape[axis])]);
}

/** The adjoint of `mapAxis`: scatters g back along `axis` to size `inSize` (not recorded). */
export function unmapAxis(g: Tensor, axis: number, map: AxisMap, inSize: number): Tensor {
  const dims = resampleDims(g.shape, axis, inSize, g.shape[axis]);
  const out = empty(withAxis(g.shape, axis, inSize), g.dtype);
  getBackend().resampleBackward(g.data, dims, map, out.data);
  return out;
}

function resampleDims(
  shape: readonly number[],
  axis: number,
  inSize: number,
  outSize: number,
): ResampleDims {
  return {
    outer: numel(shape.slice(0, axis)),
    inSize,
    outSize,
    inner: numel(shape.slice(axis + 1)),
  };
}

function withAxis(shape: readonly number[], axis: number, size: number): number[] {
  return shape.map((d, i) => (i === axis ? size : d));
}

/** A one-tap map that reads input position `source(o)` for each output o (−1 reads `fill`). */
export function gatherMap(outSize: number, source: (o: number) => number, fill = 0): AxisMap {
  const index = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) index[o] = source(o);
  return { taps: 1, index, weight: new Float64Array(outSize).fill(1), fill };
}
