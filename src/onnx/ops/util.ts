/** Helpers the ONNX operator families share: axes, index maps and ONNX's padding layout. */
import type { NodeContext } from '../node-context.js';
import { gatherMap, mapAxis } from '../../ops/axis-map.js';
import type { Tensor } from '../../tensor/tensor.js';

/** An ONNX axis (negative counts from the end) as an index in [0, ndim), checked. */
export function axisOf(ctx: NodeContext, axis: number, ndim: number): number {
  const a = axis < 0 ? axis + ndim : axis;
  ctx.check(
    Number.isInteger(a) && a >= 0 && a < Math.max(ndim, 1),
    () => `axis ${axis} is out of range for rank ${ndim}`,
  );
  return a;
}

/** Picks positions `source[o]` along `axis` (−1 reads `fill`); differentiable. */
export function takeAlong(
  x: Tensor,
  axis: number,
  source: readonly number[],
  name: string,
  fill = 0,
): Tensor {
  return mapAxis(
    x,
    axis,
    gatherMap(source.length, (o) => source[o], fill),
    name,
  );
}

/**
 * ONNX pads ([x1_begin, x2_begin, ..., x1_end, x2_end]) as [before, after] pairs per axis.
 */
export function padPairs(pads: readonly number[]): [number, number][] {
  const d = pads.length / 2;
  return Array.from({ length: d }, (_, i) => [pads[i], pads[i + d]]);
}

/** [before, after] pairs (outermost axis first) in fovea `pad`'s order: last axis first. */
export function toFoveaPad(pairs: readonly (readonly [number, number])[]): number[] {
  return [...pairs].reverse().flat();
}

/** The spatial padding of a windowed op, resolving auto_pad (SAME_UPPER, SAME_LOWER, VALID). */
export function spatialPads(
  ctx: NodeContext,
  input: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): [number, number][] {
  const autoPad = ctx.string('auto_pad', 'NOTSET');
  const d = kernel.length;
  if (autoPad === 'VALID') return kernel.map(() => [0, 0]);
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    return kernel.map((k, i) => {
      const out = Math.ceil(input[i] / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (k - 1) * dilations[i] + 1 - input[i]);
      const small = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    });
  }
  ctx.check(
    autoPad === 'NOTSET',
    () => `auto_pad must be NOTSET, SAME_UPPER, SAME_LOWER or VALID, got '${autoPad}'`,
  );
  const pads = ctx.ints('pads', new Array<number>(2 * d).fill(0));
  ctx.check(
    pads.length === 2 * d,
    () => `pads needs ${2 * d} values for ${d} spatial dims, got [${pads}]`,
  );
  return padPairs(pads);
}

/** Strides and dilations attributes (default 1 per spatial dim), checked against the rank. */
export function windowSteps(
  ctx: NodeContext,
  d: number,
): { strides: number[]; dilations: number[] } {
  const ones = new Array<number>(d).fill(1);
  const strides = ctx.ints('strides', ones);
  const dilations = ctx.ints('dilations', ones);
  ctx.check(
    strides.length === d && dilations.length === d,
    () => `strides [${strides}] and dilations [${dilations}] need ${d} values`,
  );
  return { strides, dilations };
}
