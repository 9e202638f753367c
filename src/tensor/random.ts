/**
 * The random number generator behind every random choice fovea makes (init, dropout, shuffling,
 * augmentation): xoshiro128** seeded through splitmix32, so a seed gives the same stream on every
 * platform and the whole state fits in four 32-bit words that a checkpoint can store.
 */
export class Generator {
  private s = new Uint32Array(4);
  /** A Box–Muller pair yields two normals; the second is kept for the next call. */
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Restarts the stream from `seed` (any integer). */
  seed(seed: number): void {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32 spreads one seed over the four state words.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spareNormal = null;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /**
   * Fills `out` with the next out.length draws of `nextUint32`, the same stream (its step, over
   * local state rather than the state array: several times quicker per draw, and dropout masks
   * take one per element).
   */
  fillUint32(out: Uint32Array): Uint32Array {
    const s = this.s;
    // As int32 from the start: the loop then stays in integer registers.
    let [s0, s1, s2, s3] = [s[0] | 0, s[1] | 0, s[2] | 0, s[3] | 0];
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    return out;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A standard normal sample (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** The whole state, for checkpoints: restoring it with `setState` continues the same stream. */
  getState(): { words: number[]; spareNormal: number | null } {
    return { words: Array.from(this.s), spareNormal: this.spareNormal };
  }

  /** Restores a state returned by `getState`. */
  setState(state: { words: number[]; spareNormal: number | null }): void {
    this.s.set(state.words);
    this.spareNormal = state.spareNormal;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is passed explicitly. */
export const defaultGenerator = new Generator(0);

/** Seeds the default generator, as `torch.manual_seed` does: same seed, same run. */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}
