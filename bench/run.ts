/**
 * Runs the benchmark: loads the peers, then for each workload makes its inputs once and measures
 * every peer on them in turn (so the machine's load falls on all of them alike).
 */
import { cpus, loadavg } from 'node:os';
import { getBackend, setBackend } from '../src/index.js';
import { measure, type MeasureOptions } from './harness.js';
import { taskInputs, type Inputs } from './inputs.js';
import type { BenchOptions } from './options.js';
import { isNotApplicable, type Peer } from './peer.js';
import { FOVEA, PEER_LOADERS } from './peers/index.js';
import type { BenchReport, Cell, PeerColumn, Row } from './report.js';
import { allWorkloads } from './workloads/index.js';
import { rate, type Workload } from './workload.js';

const message = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Loads the chosen peers; one that fails to load becomes a column that says why. */
async function loadPeers(names: string[]): Promise<{ peers: Peer[]; columns: PeerColumn[] }> {
  const peers: Peer[] = [];
  const columns: PeerColumn[] = [];
  for (const name of names) {
    try {
      const peer = await PEER_LOADERS[name]();
      peers.push(peer);
      columns.push({ name, label: peer.label });
    } catch (error) {
      columns.push({ name, unavailable: message(error) });
    }
  }
  return { peers, columns };
}

/** One peer on one workload. */
async function measureCell(
  peer: Peer,
  workload: Workload,
  inputs: Inputs,
  options: MeasureOptions,
): Promise<Cell> {
  let prepared;
  try {
    prepared = await peer.prepare(workload, inputs);
  } catch (error) {
    return { status: 'cannot', reason: message(error) };
  }
  if (isNotApplicable(prepared)) return { status: 'n/a', reason: prepared.notApplicable };
  try {
    const measurement = await measure(prepared, options);
    return { status: 'ok', rate: rate(workload, measurement.medianMs), measurement };
  } catch (error) {
    return { status: 'cannot', reason: message(error) };
  } finally {
    await prepared.dispose?.();
  }
}

/** The row's ratios and goal, from its cells. */
function judge(workload: Workload, cells: Record<string, Cell>): Row {
  const fovea = cells[FOVEA];
  const foveaRate = fovea?.status === 'ok' ? fovea.rate : undefined;
  if (foveaRate !== undefined) {
    for (const [name, cell] of Object.entries(cells)) {
      if (name !== FOVEA && cell.status === 'ok') cell.foveaRatio = foveaRate / cell.rate;
    }
  }
  const { name, title, unit, work, goal } = workload;
  const meetsGoal = goal !== undefined && foveaRate !== undefined ? foveaRate >= goal : undefined;
  return { workload: name, title, unit, work, goal, meetsGoal, cells };
}

/** Runs the workloads and peers `options` choose; `progress` hears each result as it comes. */
export async function runBenchmark(
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<BenchReport> {
  if (options.backend) setBackend(options.backend);
  const date = new Date().toISOString();
  const loadAtStart = loadavg()[0];
  const chosen = Object.keys(PEER_LOADERS).filter(
    (name) => name === FOVEA || options.peers.length === 0 || options.peers.includes(name),
  );
  const { peers, columns } = await loadPeers(chosen);
  for (const column of columns) {
    if (column.unavailable) progress(`${column.name} unavailable: ${column.unavailable}`);
  }
  const workloads = allWorkloads(options.quick ? 'quick' : 'full').filter(
    ({ name }) => options.only.length === 0 || options.only.some((part) => name.includes(part)),
  );
  const measureOptions = { ...options, capMs: options.capSeconds * 1000 };
  const rows: Row[] = [];
  try {
    for (const workload of workloads) {
      const inputs = taskInputs(workload.task);
      const cells: Record<string, Cell> = {};
      for (const peer of peers) {
        cells[peer.name] = await measureCell(peer, workload, inputs, measureOptions);
        const cell = cells[peer.name];
        const result =
          cell.status === 'ok' ? `${cell.rate.toPrecision(3)} ${workload.unit}` : `${cell.status}`;
        progress(`${workload.title}: ${peer.name} ${result}`);
      }
      rows.push(judge(workload, cells));
    }
  } finally {
    for (const peer of peers) await peer.close?.();
  }
  return {
    date,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage: [loadAtStart, loadavg()[0]],
    backend: getBackend().name,
    quick: options.quick,
    runs: options.runs,
    warmup: options.warmup,
    capSeconds: options.capSeconds,
    peers: columns,
    rows,
  };
}
