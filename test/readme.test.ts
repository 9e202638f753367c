import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { it } from 'node:test';

// The README's TypeScript examples must run as written (with 'fovea' pointing at the sources).
it('runs every ts example in README.md', () => {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length > 0, 'README has no ts example');
  const dir = mkdtempSync(join(tmpdir(), 'fovea-readme-'));
  blocks.forEach((code, i) => {
    const file = join(dir, `example-${i}.mts`);
    writeFileSync(file, code.replaceAll("from 'fovea'", `from '${resolve('src/index.ts')}'`));
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
    assert.equal(run.status, 0, `example ${i} failed:\n${run.stderr}`);
  });
});

it('the tour (npm start) trains the small CNN to high accuracy', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'tour'], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const accuracy = Number(/accuracy on 200 new images: ([\d.]+)%/.exec(run.stdout)?.[1]);
  assert.ok(accuracy >= 90, `tour reached only ${accuracy}%`);
});
