// Jobs: what the threads of the pool run. The caller writes a job's arguments as i32 words at
// `job` (word 0 is its kind) and every thread calls `run_job` with its index; each one works
// out its own share from the same arguments, so no thread waits on another.

/** Word `i` of the job's arguments. */
export function arg(job: usize, i: i32): i32 {
  return load<i32>(job + ((<usize>i) << 2));
}

/** Word `i` of the job's arguments as a byte address. */
export function ptr(job: usize, i: i32): usize {
  return <usize>load<u32>(job + ((<usize>i) << 2));
}

/** Word `i` of the job's arguments as the f32 whose bits it holds. */
export function f32Arg(job: usize, i: i32): f32 {
  return reinterpret<f32>(arg(job, i));
}

/** The job word that counts the items claimed so far; the caller zeroes it with every job. */
const CLAIMED = 63;

/**
 * The next unclaimed item of the job (items past the job's count mean none is left). Threads
 * claim items one at a time rather than splitting them up front, so a thread slowed down (by a
 * core busy with something else) leaves the remaining items to the others instead of holding
 * every thread up at the end of the job.
 */
export function claim(job: usize): i32 {
  return atomic.add<i32>(job + ((<usize>CLAIMED) << 2), 1);
}

/**
 * Where part `part` of `parts` starts when `total` items are cut into near-equal shares whose
 * boundaries fall on multiples of `unit` (the last share takes the remainder).
 */
export function shareStart(total: i32, parts: i32, part: i32, unit: i32): i32 {
  const units = (total + unit - 1) / unit;
  return min(total, <i32>((<i64>units * part) / parts) * unit);
}
