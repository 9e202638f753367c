import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FoveaError } from '../tensor/errors.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { fmt } from '../tensor/errors.js';
import { runModelCase, type ModelCase } from './model-fixtures.js';
import { loadNpy } from './npy.js';
import { adapterFor, type Attrs, type FixtureArgs } from './torch-ops.js';

/** Tolerances every fixture comparison uses: |actual − expected| ≤ atol + rtol·|expected|. */
export const fixtureTolerance = { rtol: 1e-4, atol: 1e-5 };

/** The outcome of one fixture case. */
export interface CaseResult {
  /** The case folder relative to the searched root. */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** What differed (failed) or why it was not run (skipped), one entry per problem. */
  problems: string[];
}

/** The case.json of an op case, as ../shared/fixtures/README.md describes it. */
interface OpCase {
  op: string;
  attrs?: Record<string, unknown>;
  inputs: Record<string, string>;
  output: string;
  upstream?: string;
  grads?: Record<string, string>;
  state_after?: Record<string, string>;
}

/** Every folder under `root` (itself included) that holds a case.json, sorted. */
export function findCases(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new FoveaError('fixtures', `${root}: not a folder`);
  }
  const found: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, 'case.json'))) found.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
    }
  };
  walk(root);
  return found.sort();
}

/** Runs every case under `root`. */
export function runCases(root: string): CaseResult[] {
  return findCases(root).map((dir) => runCase(dir, relative(root, dir) || dir));
}

/**
 * Runs one case folder: calls the fovea op on the case's inputs, then compares the output, the
 * gradient of Σ output·upstream for every listed input, and the state after the call (running
 * statistics updated in place) with PyTorch's arrays. A case with a `kind` (the `models/` cases)
 * imports its ONNX model instead (see model-fixtures.ts).
 */
export function runCase(dir: string, name = dir): CaseResult {
  let spec: OpCase & { kind?: string };
  try {
    spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as OpCase & { kind?: string };
  } catch (e) {
    return { name, status: 'failed', problems: [`case.json: ${(e as Error).message}`] };
  }
  if (spec.kind !== undefined) {
    try {
      const problems = runModelCase(dir, spec as unknown as ModelCase, fixtureTolerance);
      return { name, status: problems.length === 0 ? 'passed' : 'failed', problems };
    } catch (e) {
      return { name, status: 'failed', problems: [e instanceof Error ? e.message : String(e)] };
    }
  }
  const problems: string[] = [];
  try {
    const inputs = Object.fromEntries(
      Object.entries(spec.inputs).map(([key, file]) => [key, loadNpy(join(dir, file))]),
    );
    for (const key of Object.keys(spec.grads ?? {})) inputs[key]?.requireGrad();
    const output = adapterFor(spec.op, name)(bindArgs(inputs, spec.attrs ?? {}, name));
    compare('output', output, loadNpy(join(dir, spec.output)), problems);
    if (spec.upstream && spec.grads) {
      const upstream = loadNpy(join(dir, spec.upstream));
      if (!output.requiresGrad)
        problems.push('output is not connected to any input that needs a gradient');
      else output.backward(upstream);
      for (const [key, file] of Object.entries(spec.grads)) {
        const grad = inputs[key]?.grad;
        if (!grad) problems.push(`grad ${key}: no gradient reached input '${key}'`);
        else compare(`grad ${key}`, grad, loadNpy(join(dir, file)), problems);
      }
    }
    for (const [key, file] of Object.entries(spec.state_after ?? {})) {
      compare(`state_after ${key}`, inputs[key], loadNpy(join(dir, file)), problems);
    }
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return { name, status: problems.length === 0 ? 'passed' : 'failed', problems };
}

/** Binds a case's tensors and camelCased attrs for an adapter. */
function bindArgs(
  inputs: Record<string, Tensor>,
  attrs: Record<string, unknown>,
  source: string,
): FixtureArgs {
  const names = Object.keys(inputs);
  const get = (key: string) => {
    const t = inputs[key];
    if (!t)
      throw new FoveaError(
        'fixtures',
        `${source}: input '${key}' is missing (case has ${names.join(', ')})`,
      );
    return t;
  };
  return { input: get(names[0]), get, opt: (key) => inputs[key], attrs: camelKeys(attrs) };
}

/** `count_include_pad` → `countIncludePad`, for the top-level keys. */
function camelKeys(attrs: Record<string, unknown>): Attrs {
  return Object.fromEntries(
    Object.entries(attrs).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      v,
    ]),
  );
}

/** Compares shapes and values within fixtureTolerance, recording one problem if they differ. */
function compare(
  what: string,
  actual: Tensor | undefined,
  expected: Tensor,
  problems: string[],
): void {
  if (!actual) {
    problems.push(`${what}: missing`);
    return;
  }
  if (!sameShape(actual.shape, expected.shape)) {
    problems.push(`${what}: shape ${fmt(actual.shape)}, expected ${fmt(expected.shape)}`);
    return;
  }
  const { rtol, atol } = fixtureTolerance;
  let worst = -1;
  let worstError = 0;
  for (let i = 0; i < expected.size; i++) {
    const [a, e] = [actual.data[i], expected.data[i]];
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    const error = Math.abs(a - e);
    const excess = error - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || error > worstError || Number.isNaN(error))) {
      worst = i;
      worstError = error;
    }
  }
  if (worst >= 0) {
    problems.push(
      `${what}: max error ${worstError.toExponential(3)} at element ${worst} (got ${actual.data[worst]}, expected ${expected.data[worst]})`,
    );
  }
}
