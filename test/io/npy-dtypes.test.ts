import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encodeNpy, FoveaError, loadNpy, tensor, type NpyDtype } from '../../src/index.js';
import { floatToHalf, halfToFloat } from '../../src/io/half.js';

/** Files written by np.save, one per numeric dtype (test/fixtures/npy-dtypes/make.py). */
const FIXTURES = 'test/fixtures/npy-dtypes';
const kinds: NpyDtype[] = ['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1'];

describe('.npy write for every numeric dtype', () => {
  for (const kind of kinds) {
    it(`${kind}: reads NumPy's file and writes it back byte for byte`, () => {
      const path = `${FIXTURES}/${kind}.npy`;
      const written = encodeNpy(loadNpy(path), { dtype: kind });
      assert.deepEqual(written, new Uint8Array(readFileSync(path)));
    });
  }

  it('accepts a byte-order mark and keeps the default dtypes', () => {
    const t = tensor([1, 2, 3], { dtype: 'int32' });
    assert.deepEqual(encodeNpy(t, { dtype: '<i4' }), encodeNpy(t));
    assert.deepEqual(encodeNpy(t, { dtype: '|u1' }), encodeNpy(t, { dtype: 'u1' }));
  });

  it('refuses values that do not fit an integer dtype, naming the value and its index', () => {
    assert.throws(
      () => encodeNpy(tensor([1, 300]), { dtype: 'i1' }),
      (e: unknown) =>
        e instanceof FoveaError &&
        /value 300 at flat index 1 does not fit dtype i1/.test(e.message),
    );
    assert.throws(() => encodeNpy(tensor([0.5]), { dtype: 'u2' }), /value 0.5/);
    assert.throws(() => encodeNpy(tensor([1]), { dtype: 'c8' as NpyDtype }), /unknown dtype 'c8'/);
  });

  it('rounds to float16 as NumPy does (nearest even, overflow to infinity)', () => {
    assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // halfway between 1 and 1 + 2^-10: even
    assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(floatToHalf(65519), 0x7bff);
    assert.equal(floatToHalf(65520), 0x7c00);
    assert.equal(floatToHalf(2 ** -25), 0); // halfway to the smallest subnormal: even (0)
    for (let h = 0; h < 0x7c00; h += 37) assert.equal(floatToHalf(halfToFloat(h)), h);
  });
});
