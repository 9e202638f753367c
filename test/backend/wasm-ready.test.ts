import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ready, wasmInfo } from '../../src/index.js';
import { threadCount } from '../../src/backend/wasm/index.js';

describe('ready() in Node', () => {
  it('starts the backend with the default threads, as first use would, and says how it runs', async () => {
    const info = await ready();
    assert.deepEqual(info, wasmInfo());
    assert.equal(info.threads, threadCount());
    assert.equal(info.isa, process.env.FOVEA_RELAXED_SIMD === '0' ? 'simd' : 'relaxed-simd');
    assert.deepEqual(await ready({ threads: info.threads }), info);
  });

  it('refuses another thread count once started, and thread counts out of range', async () => {
    const { threads } = await ready();
    await assert.rejects(
      ready({ threads: threads + 1 }),
      new RegExp(`already runs ${threads} threads, not ${threads + 1}`),
    );
    await assert.rejects(
      ready({ threads: 0 }),
      /ready\(\)'s threads must be an integer from 1 to 256, got 0/,
    );
    await assert.rejects(ready({ threads: 1.5 }), /got 1\.5/);
  });
});
