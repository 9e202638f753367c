// Winograd F(2×2, 3×3) (Lavin & Gray, 2016) for 3×3, stride-1, undilated 2-D convolutions:
// each 2×2 block of outputs ("tile") comes from a 4×4 input patch d and a 3×3 filter g as
// Y = Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A, 16 multiplies instead of 36. Across channels the 16 products
// ξ are 16 independent GEMMs, M[ξ] = U[ξ] · V[ξ] with U[ξ] [out channels, in channels] the
// transformed filters and V[ξ] [in channels, tiles] the transformed patches, so the arithmetic
// is 2.25× smaller and still runs on the packed SGEMM. The transforms add and subtract only
// (G's halves are exact), so the result differs from direct summation by a few roundings.
//
// One routine serves the forward conv and its input gradient: the gradient of a stride-1 conv
// is a stride-1 conv of the output gradient with the filters flipped and transposed.
import { f32_gemm } from './f32-gemm';
import { clamp4 } from './simd';

/** The problem `winogradPlane` solves, set by the caller for a job. */
let inH = 0;
let inW = 0;
let outH = 0;
let outW = 0;
let padTop = 0;
let padLeft = 0;
/** Input and output channels of one group. */
let cin = 0;
let cout = 0;
/** Whether the filters are used flipped and transposed (the input gradient). */
let adjoint = false;
/** Tiles per GEMM: a multiple of 8, sized by `winogradSetup` to the scratch memory. */
let chunk = 0;
/** The group whose filters are in U now (−1: none yet). */
let transformed = -1;

/** Bytes at the start of the scratch for one filter (9 floats) or one patch (16 vectors). */
const SMALL: usize = 256;

/** Bytes of U for one group: 16 matrices [cout, cin]. */
function uBytes(): usize {
  return (<usize>(16 * cout * cin)) << 2;
}

/**
 * Sets up the routine for one job and returns whether it fits `bytes` of scratch: U for one
 * group, and V and M for at least 8 tiles. `flipped` selects the input gradient's filters.
 */
export function winogradSetup(
  inSize: i32,
  inWidth: i32,
  outSize: i32,
  outWidth: i32,
  top: i32,
  left: i32,
  channelsIn: i32,
  channelsOut: i32,
  flipped: bool,
  bytes: usize,
): bool {
  inH = inSize;
  inW = inWidth;
  outH = outSize;
  outW = outWidth;
  padTop = top;
  padLeft = left;
  cin = channelsIn;
  cout = channelsOut;
  adjoint = flipped;
  transformed = -1;
  if (SMALL + uBytes() >= bytes) return false;
  chunk = (<i32>((bytes - SMALL - uBytes()) / ((<usize>(16 * (cin + cout))) << 2))) & ~7;
  while (chunk >= 8 && scratchBytes() > bytes) chunk = ((chunk * 3) / 4) & ~7;
  return chunk >= 8;
}

/** Bytes of V and M for `chunk` tiles. */
function chunkBytes(): usize {
  return (<usize>(16 * (cin + cout) * chunk)) << 2;
}

/** Bytes of the input band for `chunk` tiles: the rows of every tile row they may touch. */
function bandBytes(): usize {
  const tileRows = (chunk + ((outW + 1) >> 1) - 1) / ((outW + 1) >> 1) + 1;
  return (<usize>((2 * tileRows + 2) * bandWidth())) << 2;
}

/** All the scratch a chunk needs: the patch, U, V, M and the band. */
function scratchBytes(): usize {
  return SMALL + uBytes() + chunkBytes() + bandBytes();
}

/** Tiles of one output plane. */
export function winogradTiles(): i32 {
  return ((outH + 1) >> 1) * ((outW + 1) >> 1);
}

/**
 * U[ξ][o][c] = (G g Gᵀ)[ξ] for the 3×3 filter g of output o and input c of group `group`, from
 * w [.., cin, 3, 3] (forward: w[o][c]; adjoint: w[c][o] rotated by 180°).
 */
function transformFilters(w: usize, group: i32, u: usize, g: usize): void {
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      // Forward filters are stored [cout, cin, 3, 3]; the adjoint's are the forward's
      // [cin(here the forward's out), cout, 3, 3], read transposed and rotated.
      const at = adjoint
        ? w + ((<usize>((group * cin + c) * cout + o) * 9) << 2)
        : w + ((<usize>((group * cout + o) * cin + c) * 9) << 2);
      for (let i = 0; i < 9; i++) {
        store<f32>(g + ((<usize>i) << 2), load<f32>(at + ((<usize>(adjoint ? 8 - i : i)) << 2)));
      }
      // t = G g (4×3), then U = t Gᵀ (4×4); G's rows: [1 0 0], [½ ½ ½], [½ −½ ½], [0 0 1].
      for (let r = 0; r < 4; r++) {
        let t0: f32, t1: f32, t2: f32;
        if (r == 0) {
          t0 = tap(g, 0);
          t1 = tap(g, 1);
          t2 = tap(g, 2);
        } else if (r == 3) {
          t0 = tap(g, 6);
          t1 = tap(g, 7);
          t2 = tap(g, 8);
        } else {
          const s: f32 = r == 1 ? 1 : -1;
          t0 = 0.5 * (tap(g, 0) + s * tap(g, 3) + tap(g, 6));
          t1 = 0.5 * (tap(g, 1) + s * tap(g, 4) + tap(g, 7));
          t2 = 0.5 * (tap(g, 2) + s * tap(g, 5) + tap(g, 8));
        }
        const row = r * 4;
        store<f32>(u + ((<usize>(((row + 0) * cout + o) * cin + c)) << 2), t0);
        store<f32>(u + ((<usize>(((row + 1) * cout + o) * cin + c)) << 2), 0.5 * (t0 + t1 + t2));
        store<f32>(u + ((<usize>(((row + 2) * cout + o) * cin + c)) << 2), 0.5 * (t0 - t1 + t2));
        store<f32>(u + ((<usize>(((row + 3) * cout + o) * cin + c)) << 2), t2);
      }
    }
  }
}

/** Element i of the floats at `at`. */
function tap(at: usize, i: i32): f32 {
  return load<f32>(at + ((<usize>i) << 2));
}

/** Width of the zero-padded input band, in floats: every tile's patch lies inside it. */
function bandWidth(): i32 {
  return ((outW + 1) >> 1) * 2 + 2;
}

/**
 * Copies the input rows that tile rows ty0 .. ty1 read into `band` (bandWidth() floats per row),
 * with zeros where the patches reach into the padding, so the transforms need no bounds checks.
 */
function fillBand(src: usize, ty0: i32, ty1: i32, band: usize): void {
  const width = bandWidth();
  const lo = max(0, padLeft); // band column of input column 0 (or the first inside)
  const from = max(0, -padLeft); // first input column copied
  const count = max(0, min(inW - from, width - lo));
  for (let r = 0; r < 2 * (ty1 - ty0 + 1) + 2; r++) {
    const row = band + ((<usize>(r * width)) << 2);
    const y = 2 * ty0 - padTop + r;
    if (y < 0 || y >= inH || count == 0) {
      memory.fill(row, 0, (<usize>width) << 2);
      continue;
    }
    memory.fill(row, 0, (<usize>lo) << 2);
    memory.copy(
      row + ((<usize>lo) << 2),
      src + ((<usize>(y * inW + from)) << 2),
      (<usize>count) << 2,
    );
    memory.fill(row + ((<usize>(lo + count)) << 2), 0, (<usize>(width - lo - count)) << 2);
  }
}

/** Stores `v` at `at`: all four lanes, or lane 0 alone for a single tile. */
function put(at: usize, v: v128, lanes: i32): void {
  if (lanes == 4) v128.store(at, v);
  else store<f32>(at, f32x4.extract_lane(v, 0));
}

/**
 * V[ξ][c][t ..] = (Bᵀ d B)[ξ] for the patches whose 16 values are the vectors d[r][j] at
 * `d` + (4r + j)·16 (one tile per lane); Bᵀ's rows: [1 0 −1 0], [0 1 1 0], [0 −1 1 0],
 * [0 1 0 −1]. `at` is V[0][c][t]; `lanes` says how many tiles are real.
 */
function transformPatch(d: usize, at: usize, lanes: i32): void {
  // Bᵀ d, column by column, in place.
  for (let j = 0; j < 4; j++) {
    const col = d + ((<usize>j) << 4);
    const a = v128.load(col);
    const b = v128.load(col, 64);
    const e = v128.load(col, 128);
    const f = v128.load(col, 192);
    v128.store(col, f32x4.sub(a, e));
    v128.store(col, f32x4.add(b, e), 64);
    v128.store(col, f32x4.sub(e, b), 128);
    v128.store(col, f32x4.sub(b, f), 192);
  }
  // · B, row by row, into V.
  const step = (<usize>(cin * chunk)) << 2;
  for (let i = 0; i < 4; i++) {
    const row = d + ((<usize>i) << 6);
    const t0 = v128.load(row);
    const t1 = v128.load(row, 16);
    const t2 = v128.load(row, 32);
    const t3 = v128.load(row, 48);
    const to = at + <usize>(4 * i) * step;
    put(to, f32x4.sub(t0, t2), lanes);
    put(to + step, f32x4.add(t1, t2), lanes);
    put(to + 2 * step, f32x4.sub(t2, t1), lanes);
    put(to + 3 * step, f32x4.sub(t1, t3), lanes);
  }
}

/**
 * V[ξ][c][t − t0] = (Bᵀ d B)[ξ] for the 4×4 patch d of each tile t0 .. t0 + count of every
 * input channel c: four tiles of a row at a time (their patches overlap by two columns, so
 * each patch row is two even/odd shuffles of four loads), single tiles at the row's end.
 */
function transformInput(image: usize, t0: i32, count: i32, v: usize, d: usize, band: usize): void {
  const tilesW = (outW + 1) >> 1;
  const width = bandWidth();
  const plane = (<usize>(inH * inW)) << 2;
  const ty0 = t0 / tilesW;
  const ty1 = (t0 + count - 1) / tilesW;
  for (let c = 0; c < cin; c++) {
    fillBand(image + <usize>c * plane, ty0, ty1, band);
    for (let t = 0; t < count;) {
      const ty = (t0 + t) / tilesW;
      const tx = (t0 + t) % tilesW;
      const corner = band + ((<usize>(2 * (ty - ty0) * width + 2 * tx)) << 2);
      const lanes = tx + 4 <= tilesW && t + 4 <= count ? 4 : 1;
      for (let r = 0; r < 4; r++) {
        const src = corner + ((<usize>(r * width)) << 2);
        const dst = d + ((<usize>r) << 6);
        if (lanes == 4) {
          const u0 = v128.load(src);
          const u1 = v128.load(src, 16);
          const w0 = v128.load(src, 8);
          const w1 = v128.load(src, 24);
          v128.store(dst, i32x4.shuffle(u0, u1, 0, 2, 4, 6));
          v128.store(dst, i32x4.shuffle(u0, u1, 1, 3, 5, 7), 16);
          v128.store(dst, i32x4.shuffle(w0, w1, 0, 2, 4, 6), 32);
          v128.store(dst, i32x4.shuffle(w0, w1, 1, 3, 5, 7), 48);
        } else {
          for (let j = 0; j < 4; j++) {
            v128.store(dst + ((<usize>j) << 4), f32x4.splat(tap(src, j)));
          }
        }
      }
      transformPatch(d, v + ((<usize>(c * chunk + t)) << 2), lanes);
      t += lanes;
    }
  }
}

/** Row 0 of Aᵀ M at column j: M[0][j] + M[1][j] + M[2][j] (element ξ of M at `at` + ξ·step). */
function upper(at: usize, j: i32, step: usize): v128 {
  const m0 = v128.load(at + <usize>j * step);
  const m1 = v128.load(at + <usize>(4 + j) * step);
  return f32x4.add(f32x4.add(m0, m1), v128.load(at + <usize>(8 + j) * step));
}

/** Row 1 of Aᵀ M at column j: M[1][j] − M[2][j] − M[3][j]. */
function lower(at: usize, j: i32, step: usize): v128 {
  const m1 = v128.load(at + <usize>(4 + j) * step);
  const m2 = v128.load(at + <usize>(8 + j) * step);
  return f32x4.sub(f32x4.sub(m1, m2), v128.load(at + <usize>(12 + j) * step));
}

/**
 * out[o] 2×2 blocks = clamp((Aᵀ M A) + bias[o], lo, hi) (`bias` 0: none) for tiles t0 .. t0 + count,
 * clipped at the plane's edges; Aᵀ's rows: [1 1 1 0], [0 1 −1 −1]. Four tiles of a row at a
 * time where their eight columns and two rows are inside the plane, one at a time elsewhere.
 */
function transformOutput(
  m: usize,
  t0: i32,
  count: i32,
  out: usize,
  bias: usize,
  lo: v128,
  hi: v128,
): void {
  const tilesW = (outW + 1) >> 1;
  const plane = (<usize>(outH * outW)) << 2;
  const step = (<usize>(cout * chunk)) << 2;
  for (let o = 0; o < cout; o++) {
    const dst = out + <usize>o * plane;
    const b = f32x4.splat(bias == 0 ? 0 : load<f32>(bias + ((<usize>o) << 2)));
    for (let t = 0; t < count;) {
      const y = ((t0 + t) / tilesW) * 2;
      const x = ((t0 + t) % tilesW) * 2;
      const inside = x + 8 <= outW && y + 2 <= outH && t + 4 <= count;
      const at = m + ((<usize>(o * chunk + t)) << 2);
      // s = Aᵀ M, then Y = s A.
      const s00 = upper(at, 0, step);
      const s01 = upper(at, 1, step);
      const s02 = upper(at, 2, step);
      const s03 = upper(at, 3, step);
      const s10 = lower(at, 0, step);
      const s11 = lower(at, 1, step);
      const s12 = lower(at, 2, step);
      const s13 = lower(at, 3, step);
      const y00 = clamp4(f32x4.add(f32x4.add(f32x4.add(s00, s01), s02), b), lo, hi);
      const y01 = clamp4(f32x4.add(f32x4.sub(f32x4.sub(s01, s02), s03), b), lo, hi);
      const y10 = clamp4(f32x4.add(f32x4.add(f32x4.add(s10, s11), s12), b), lo, hi);
      const y11 = clamp4(f32x4.add(f32x4.sub(f32x4.sub(s11, s12), s13), b), lo, hi);
      const row = dst + ((<usize>(y * outW + x)) << 2);
      const below = row + ((<usize>outW) << 2);
      if (inside) {
        v128.store(row, i32x4.shuffle(y00, y01, 0, 4, 1, 5));
        v128.store(row, i32x4.shuffle(y00, y01, 2, 6, 3, 7), 16);
        v128.store(below, i32x4.shuffle(y10, y11, 0, 4, 1, 5));
        v128.store(below, i32x4.shuffle(y10, y11, 2, 6, 3, 7), 16);
        t += 4;
        continue;
      }
      // One tile (lane 0; the M columns past `count` are read but not used), clipped.
      store<f32>(row, f32x4.extract_lane(y00, 0));
      if (x + 1 < outW) store<f32>(row, f32x4.extract_lane(y01, 0), 4);
      if (y + 1 < outH) {
        store<f32>(below, f32x4.extract_lane(y10, 0));
        if (x + 1 < outW) store<f32>(below, f32x4.extract_lane(y11, 0), 4);
      }
      t += 1;
    }
  }
}

/**
 * Tiles t0 .. t0 + count of one sample's output planes of group `group`: `image` is the group's
 * first input plane, `out` its first output plane (`bias` its first bias, or 0; outputs clamped to
 * [lo, hi], the fused activation), `w` all the
 * filters, `scratch` the bytes `winogradSetup` was given, `work` the GEMM's workspace.
 */
export function winogradTilesOf(
  image: usize,
  w: usize,
  group: i32,
  out: usize,
  bias: usize,
  lo: f32,
  hi: f32,
  t0: i32,
  count: i32,
  scratch: usize,
  work: usize,
): void {
  const u = scratch + SMALL;
  const v = u + uBytes();
  const band = u + uBytes() + chunkBytes();
  const m = v + ((<usize>(16 * cin * chunk)) << 2);
  if (transformed != group) {
    transformFilters(w, group, u, scratch);
    transformed = group;
  }
  for (let t = 0; t < count; t += chunk) {
    const tiles = min(chunk, count - t);
    transformInput(image, t0 + t, tiles, v, scratch, band);
    for (let xi = 0; xi < 16; xi++) {
      f32_gemm(
        cout,
        tiles,
        cin,
        u + ((<usize>(xi * cout * cin)) << 2),
        cin,
        v + ((<usize>(xi * cin * chunk)) << 2),
        chunk,
        m + ((<usize>(xi * cout * chunk)) << 2),
        chunk,
        false,
        false,
        false,
        work,
      );
    }
    transformOutput(m, t0 + t, tiles, out, bias, f32x4.splat(lo), f32x4.splat(hi));
  }
}

/** Row i of Z = r Aᵀ from row i of r = A dY, (r0, r1): r0, r0 + r1, r0 − r1, −r1, at `to`. */
function gradientRow(to: usize, r0: v128, r1: v128, step: usize, lanes: i32): void {
  put(to, r0, lanes);
  put(to + step, f32x4.add(r0, r1), lanes);
  put(to + 2 * step, f32x4.sub(r0, r1), lanes);
  put(to + 3 * step, f32x4.neg(r1), lanes);
}

/**
 * Z[ξ][o][t − t0] = (A dY Aᵀ)[ξ] for the 2×2 output-gradient block dY of tiles t0 .. t0 + count
 * of every output channel o (zero past the plane's edges): the weight gradient's counterpart
 * of V. Four tiles of a row at a time where their block is inside the plane.
 */
function transformGradient(gout: usize, t0: i32, count: i32, z: usize): void {
  const tilesW = (outW + 1) >> 1;
  const plane = (<usize>(outH * outW)) << 2;
  const step = (<usize>(cout * chunk)) << 2;
  for (let o = 0; o < cout; o++) {
    const src = gout + <usize>o * plane;
    for (let t = 0; t < count;) {
      const y = ((t0 + t) / tilesW) * 2;
      const x = ((t0 + t) % tilesW) * 2;
      const row = src + ((<usize>(y * outW + x)) << 2);
      const below = row + ((<usize>outW) << 2);
      let g00: v128, g01: v128, g10: v128, g11: v128;
      let lanes = 1;
      if (x + 8 <= outW && y + 2 <= outH && t + 4 <= count) {
        const a = v128.load(row);
        const b = v128.load(row, 16);
        const c = v128.load(below);
        const d = v128.load(below, 16);
        g00 = i32x4.shuffle(a, b, 0, 2, 4, 6);
        g01 = i32x4.shuffle(a, b, 1, 3, 5, 7);
        g10 = i32x4.shuffle(c, d, 0, 2, 4, 6);
        g11 = i32x4.shuffle(c, d, 1, 3, 5, 7);
        lanes = 4;
      } else {
        const right = x + 1 < outW;
        const down = y + 1 < outH;
        g00 = f32x4.splat(load<f32>(row));
        g01 = f32x4.splat(right ? load<f32>(row, 4) : 0);
        g10 = f32x4.splat(down ? load<f32>(below) : 0);
        g11 = f32x4.splat(right && down ? load<f32>(below, 4) : 0);
      }
      // r = A dY (4×2): rows dY₀, dY₀ + dY₁, dY₀ − dY₁, −dY₁; then Z = r Aᵀ, the same on columns.
      const at = z + ((<usize>(o * chunk + t)) << 2);
      const next = <usize>4 * step; // from row i of Z to row i + 1
      gradientRow(at, g00, g01, step, lanes);
      gradientRow(at + next, f32x4.add(g00, g10), f32x4.add(g01, g11), step, lanes);
      gradientRow(at + 2 * next, f32x4.sub(g00, g10), f32x4.sub(g01, g11), step, lanes);
      gradientRow(at + 3 * next, f32x4.neg(g10), f32x4.neg(g11), step, lanes);
      t += lanes;
    }
  }
}

/**
 * The weight gradient of one group over `samples` samples: dU[ξ] = Σ Z[ξ]·V[ξ]ᵀ over every
 * tile (16 GEMMs accumulating), then gw = Gᵀ dU G per filter. `image` is the first of the cin
 * input planes of sample 0 (the next sample `imageStride` bytes on), `gout` the group's first
 * output-gradient plane (`goutStride` likewise), `gw` the filter of (output 0, input 0), filters
 * of the next output `gwRow` floats on.
 */
export function winogradWeightGrad(
  image: usize,
  imageStride: usize,
  gout: usize,
  goutStride: usize,
  samples: i32,
  gw: usize,
  gwRow: i32,
  scratch: usize,
  work: usize,
): void {
  const du = scratch + SMALL;
  const v = du + uBytes();
  const band = v + chunkBytes();
  const z = v + ((<usize>(16 * cin * chunk)) << 2);
  const tiles = winogradTiles();
  let accumulate = false;
  for (let s = 0; s < samples; s++) {
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const count = min(chunk, tiles - t0);
      transformInput(image + <usize>s * imageStride, t0, count, v, scratch, band);
      transformGradient(gout + <usize>s * goutStride, t0, count, z);
      for (let xi = 0; xi < 16; xi++) {
        f32_gemm(
          cout,
          cin,
          count,
          z + ((<usize>(xi * cout * chunk)) << 2),
          chunk,
          v + ((<usize>(xi * cin * chunk)) << 2),
          chunk,
          du + ((<usize>(xi * cout * cin)) << 2),
          cin,
          false,
          true,
          accumulate,
          work,
        );
      }
      accumulate = true;
    }
  }
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < cin; c++) {
      const filter = gw + ((<usize>(o * gwRow + c * 9)) << 2);
      if (!accumulate) memory.fill(filter, 0, 36);
      else filterGradient(du + ((<usize>(o * cin + c)) << 2), (<usize>(cout * cin)) << 2, filter);
    }
  }
}

/**
 * g = Gᵀ X G for the 4×4 X whose element ξ is at x + ξ·step: the 3×3 filter gradient. Gᵀ's rows:
 * [1 ½ ½ 0], [0 ½ −½ 0], [0 ½ ½ 1].
 */
function filterGradient(x: usize, step: usize, g: usize): void {
  for (let k = 0; k < 3; k++) {
    // Row k of Gᵀ X (columns j = 0 .. 3), then that row times G.
    const r0 = gtRow(x, k, 0, step);
    const r1 = gtRow(x, k, 1, step);
    const r2 = gtRow(x, k, 2, step);
    const r3 = gtRow(x, k, 3, step);
    const row = g + ((<usize>(k * 3)) << 2);
    store<f32>(row, r0 + 0.5 * (r1 + r2));
    store<f32>(row, 0.5 * (r1 - r2), 4);
    store<f32>(row, 0.5 * (r1 + r2) + r3, 8);
  }
}

/** (Gᵀ X)[k][j] for the 4×4 X whose element ξ is at x + ξ·step. */
function gtRow(x: usize, k: i32, j: i32, step: usize): f32 {
  const x1 = load<f32>(x + <usize>(4 + j) * step);
  const x2 = load<f32>(x + <usize>(8 + j) * step);
  if (k == 0) return load<f32>(x + <usize>j * step) + 0.5 * (x1 + x2);
  if (k == 1) return 0.5 * (x1 - x2);
  return 0.5 * (x1 + x2) + load<f32>(x + <usize>(12 + j) * step);
}
