import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seeded } from '../helpers/seeded.js';
import * as reference from '../../src/backend/reference/conv.js';
import { wasmConv, wasmConvAdjoint, wasmConvWeightGrad } from '../../src/backend/wasm/conv.js';
import { convGeometry, type ConvSpec } from '../helpers/conv-spec.js';

// 3×3 stride-1 convs with at least 16 channels per group both ways run Winograd F(2×2, 3×3) on
// the wasm backend (assembly/f32-winograd.ts). Its rounding error is not bounded by the direct
// sum's: it is bounded (Higham's standard model, each rounding a relative error ≤ u) by
// γ_K · Y_abs, where Y_abs is the same computation with every matrix and value replaced by its
// absolute value, and K the longest chain of roundings to an output: 4 in G g Gᵀ, 2 in Bᵀ d B,
// 1 product, cin − 1 sums over the input channels, 4 in Aᵀ M A. So K = cin + 10. The weight
// gradient, Gᵀ [Σ (A dY Aᵀ) ⊙ (Bᵀ d B)] G over samples and tiles, has 2 + 2 + 1 + (tiles − 1)
// + 4 ≤ tiles + 10.

const U = 2 ** -24;
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];
const BT = [
  [1, 0, -1, 0],
  [0, 1, 1, 0],
  [0, -1, 1, 0],
  [0, 1, 0, -1],
];
const AT = [
  [1, 1, 1, 0],
  [0, 1, -1, -1],
];

/** |G| g |G|ᵀ for a 3×3 filter read by `filter(k, l)`, as 16 numbers (row-major). */
function absoluteFilter(filter: (k: number, l: number) => number): Float64Array {
  const u = new Float64Array(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      for (let k = 0; k < 3; k++)
        for (let l = 0; l < 3; l++) u[i * 4 + j] += Math.abs(G[i][k] * G[j][l] * filter(k, l));
  return u;
}

/** |B|ᵀ |d| |B| for the 4×4 patch read by `patch(r, s)`, as 16 numbers. */
function absolutePatch(patch: (r: number, s: number) => number): Float64Array {
  const v = new Float64Array(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      for (let r = 0; r < 4; r++)
        for (let s = 0; s < 4; s++) v[i * 4 + j] += Math.abs(BT[i][r] * BT[j][s] * patch(r, s));
  return v;
}

/**
 * Y_abs of every output of a stride-1 3×3 conv of one sample and group, [cout, outH, outW]:
 * `input(c, y, x)` reads the input (zero outside), `filter(o, c, k, l)` the filters, `top` and
 * `left` the padding before.
 */
function absoluteWinograd(
  cin: number,
  cout: number,
  [outH, outW]: readonly number[],
  input: (c: number, y: number, x: number) => number,
  filter: (o: number, c: number, k: number, l: number) => number,
  top: number,
  left: number,
): Float64Array {
  const [tilesH, tilesW] = [Math.ceil(outH / 2), Math.ceil(outW / 2)];
  const patches = Array.from({ length: cin * tilesH * tilesW }, (_, i) => {
    const [c, t] = [Math.floor(i / (tilesH * tilesW)), i % (tilesH * tilesW)];
    const [ty, tx] = [Math.floor(t / tilesW), t % tilesW];
    return absolutePatch((r, s) => input(c, 2 * ty - top + r, 2 * tx - left + s));
  });
  const out = new Float64Array(cout * outH * outW);
  for (let o = 0; o < cout; o++) {
    const filters = Array.from({ length: cin }, (_, c) =>
      absoluteFilter((k, l) => filter(o, c, k, l)),
    );
    for (let y = 0; y < outH; y++) {
      for (let x = 0; x < outW; x++) {
        const t = (y >> 1) * tilesW + (x >> 1);
        let total = 0;
        for (let c = 0; c < cin; c++) {
          const [u, v] = [filters[c], patches[c * tilesH * tilesW + t]];
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++)
              total += Math.abs(AT[y & 1][i] * AT[x & 1][j]) * u[i * 4 + j] * v[i * 4 + j];
        }
        out[(o * outH + y) * outW + x] = total;
      }
    }
  }
  return out;
}

/**
 * |A| |dY| |A|ᵀ for the 2×2 output-gradient block read by `block(a, b)`, as 16 numbers: the
 * weight gradient's transformed tile.
 */
function absoluteBlock(block: (a: number, b: number) => number): Float64Array {
  const z = new Float64Array(16);
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++) z[i * 4 + j] += Math.abs(AT[a][i] * AT[b][j] * block(a, b));
  return z;
}

/**
 * Y_abs of the weight gradient of one group, [cout, cin, 3, 3]: |G|ᵀ [Σ over samples and tiles
 * of |Z| ⊙ |V|] |G|, with `input(n, c, y, x)` and `gout(n, o, y, x)` reading the data (zero
 * outside).
 */
function absoluteWeightGradient(
  [batch, cin, cout]: number[],
  [outH, outW]: readonly number[],
  input: (n: number, c: number, y: number, x: number) => number,
  gout: (n: number, o: number, y: number, x: number) => number,
  top: number,
  left: number,
): Float64Array {
  const [tilesH, tilesW] = [Math.ceil(outH / 2), Math.ceil(outW / 2)];
  const du = new Float64Array(cout * cin * 16);
  for (let n = 0; n < batch; n++) {
    for (let t = 0; t < tilesH * tilesW; t++) {
      const [ty, tx] = [Math.floor(t / tilesW), t % tilesW];
      const v = Array.from({ length: cin }, (_, c) =>
        absolutePatch((r, s) => input(n, c, 2 * ty - top + r, 2 * tx - left + s)),
      );
      for (let o = 0; o < cout; o++) {
        const z = absoluteBlock((a, b) => gout(n, o, 2 * ty + a, 2 * tx + b));
        for (let c = 0; c < cin; c++)
          for (let xi = 0; xi < 16; xi++) du[(o * cin + c) * 16 + xi] += z[xi] * v[c][xi];
      }
    }
  }
  const out = new Float64Array(cout * cin * 9);
  for (let f = 0; f < cout * cin; f++)
    for (let k = 0; k < 3; k++)
      for (let l = 0; l < 3; l++)
        for (let i = 0; i < 4; i++)
          for (let j = 0; j < 4; j++)
            out[f * 9 + k * 3 + l] += Math.abs(G[i][k] * G[j][l]) * du[f * 16 + i * 4 + j];
  return out;
}

/** Fails unless |got − want| ≤ γ_K · bound elementwise, with K = terms + 10 roundings. */
function within(
  name: string,
  got: Float32Array,
  want: Float64Array,
  bound: Float64Array,
  terms: number,
) {
  const K = terms + 10;
  for (let i = 0; i < got.length; i++) {
    const tolerance = ((K * U) / (1 - K * U)) * bound[i] + 1e-30;
    const error = Math.abs(got[i] - want[i]);
    if (!(error <= tolerance))
      assert.fail(`${name}: [${i}] ${got[i]} vs ${want[i]}, |Δ| ${error} > ${tolerance}`);
  }
}

/** A 3×3 stride-1 conv with the given padding. */
type Spec = Omit<ConvSpec, 'kernel'>;

const geometry = (s: Spec) => convGeometry({ ...s, kernel: [3, 3] });

/** Checks conv and its input gradient on wasm against float64 within the Winograd bound. */
function check(spec: Spec, seed: number): void {
  const g = geometry(spec);
  const random = seeded(seed);
  const [inH, inW] = g.inSize;
  const [outH, outW] = g.outSize;
  const cpg = g.channels / g.groups;
  const opg = g.outChannels / g.groups;
  const x = Float32Array.from({ length: g.batch * g.channels * inH * inW }, () => random() * 2 - 1);
  const w = Float32Array.from({ length: g.outChannels * cpg * 9 }, () => random() * 2 - 1);
  const gy = Float32Array.from(
    { length: g.batch * g.outChannels * outH * outW },
    () => random() * 2 - 1,
  );
  const at = (data: Float32Array, plane: number, h: number, wd: number, yy: number, xx: number) =>
    yy < 0 || yy >= h || xx < 0 || xx >= wd ? 0 : data[(plane * h + yy) * wd + xx];
  const [top, left] = g.padBefore;
  const name = JSON.stringify(spec);

  const y = new Float32Array(gy.length);
  wasmConv(x, w, g, y);
  const want = new Float64Array(gy.length);
  reference.conv(Float64Array.from(x), Float64Array.from(w), g, want);
  const bound = new Float64Array(gy.length);
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < g.groups; group++) {
      const first = n * g.channels + group * cpg;
      const part = absoluteWinograd(
        cpg,
        opg,
        g.outSize,
        (c, r, s) => at(x, first + c, inH, inW, r, s),
        (o, c, k, l) => w[(((group * opg + o) * cpg + c) * 3 + k) * 3 + l],
        top,
        left,
      );
      bound.set(part, (n * g.outChannels + group * opg) * outH * outW);
    }
  }
  within(`conv ${name}`, y, want, bound, cpg);

  // The input gradient: a stride-1 conv of gy with the filters flipped and transposed.
  const gx = new Float32Array(x.length);
  wasmConvAdjoint(gy, w, g, gx);
  const wantX = new Float64Array(x.length);
  reference.convAdjoint(Float64Array.from(gy), Float64Array.from(w), g, wantX);
  const boundX = new Float64Array(x.length);
  for (let n = 0; n < g.batch; n++) {
    for (let group = 0; group < g.groups; group++) {
      const first = n * g.outChannels + group * opg;
      const part = absoluteWinograd(
        opg,
        cpg,
        g.inSize,
        (o, r, s) => at(gy, first + o, outH, outW, r, s),
        (c, o, k, l) => w[(((group * opg + o) * cpg + c) * 3 + 2 - k) * 3 + 2 - l],
        2 - top,
        2 - left,
      );
      boundX.set(part, (n * g.channels + group * cpg) * inH * inW);
    }
  }
  within(`convAdjoint ${name}`, gx, wantX, boundX, opg);

  // The weight gradient: Gᵀ [Σ (A dY Aᵀ) ⊙ (Bᵀ d B)] G, summed over samples and tiles.
  const gw = new Float32Array(w.length);
  wasmConvWeightGrad(x, gy, g, gw);
  const wantW = new Float64Array(w.length);
  reference.convWeightGrad(Float64Array.from(x), Float64Array.from(gy), g, wantW);
  const boundW = new Float64Array(w.length);
  for (let group = 0; group < g.groups; group++) {
    const part = absoluteWeightGradient(
      [g.batch, cpg, opg],
      g.outSize,
      (n, c, r, s) => at(x, n * g.channels + group * cpg + c, inH, inW, r, s),
      (n, o, r, s) => at(gy, n * g.outChannels + group * opg + o, outH, outW, r, s),
      top,
      left,
    );
    boundW.set(part, group * opg * cpg * 9);
  }
  const tiles = g.batch * Math.ceil(outH / 2) * Math.ceil(outW / 2);
  within(`convWeightGrad ${name}`, gw, wantW, boundW, tiles);
}

describe('wasm Winograd F(2×2, 3×3) convs', () => {
  it('odd and even sizes, padding 0, 1, 2 and asymmetric, groups, 1×1 images', () => {
    const specs: Spec[] = [
      {
        batch: 2,
        channels: 16,
        outChannels: 16,
        inSize: [7, 9],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 1,
        channels: 32,
        outChannels: 16,
        inSize: [5, 5],
        padBefore: [0, 0],
        padAfter: [0, 0],
      },
      {
        batch: 3,
        channels: 16,
        outChannels: 24,
        inSize: [13, 11],
        padBefore: [2, 1],
        padAfter: [0, 2],
      },
      {
        batch: 1,
        channels: 32,
        outChannels: 32,
        groups: 2,
        inSize: [8, 6],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 2,
        channels: 16,
        outChannels: 17,
        inSize: [1, 1],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      {
        batch: 1,
        channels: 20,
        outChannels: 16,
        inSize: [3, 12],
        padBefore: [0, 2],
        padAfter: [2, 0],
      },
      {
        batch: 1,
        channels: 16,
        outChannels: 16,
        inSize: [3, 4],
        padBefore: [2, 2],
        padAfter: [2, 2],
      },
    ];
    specs.forEach((spec, i) => check(spec, 10 + i));
  });

  it('planes of more tiles than one chunk, and every thread with work', () => {
    check(
      {
        batch: 1,
        channels: 16,
        outChannels: 16,
        inSize: [70, 66],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      30,
    );
    check(
      {
        batch: 5,
        channels: 16,
        outChannels: 16,
        inSize: [28, 28],
        padBefore: [1, 1],
        padAfter: [1, 1],
      },
      31,
    );
  });

  it('weight gradients split among the threads by output channels (more of them) or input ones', () => {
    const big = { padBefore: [1, 1], padAfter: [1, 1] };
    check({ ...big, batch: 3, channels: 16, outChannels: 40, inSize: [20, 18] }, 32);
    check({ ...big, batch: 2, channels: 32, outChannels: 66, groups: 2, inSize: [17, 20] }, 33);
    check({ ...big, batch: 2, channels: 64, outChannels: 32, groups: 2, inSize: [20, 20] }, 34);
  });
});
