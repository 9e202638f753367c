/**
 * The error fovea throws for bad input: the message starts with the op or layer that refused it,
 * then says what was expected and what was given, e.g.
 * `conv2d: input has 3 channels but weight expects 1 (weight shape [32,1,3,3])`.
 */
export class FoveaError extends Error {
  /** The op, layer or loader that raised the error. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'FoveaError';
    this.op = op;
  }
}

/** Throws a FoveaError for `op` unless `condition` holds; the message is built only on failure. */
export function check(condition: boolean, op: string, message: () => string): asserts condition {
  if (!condition) throw new FoveaError(op, message());
}

/** Formats a shape the way error messages show it: `[2,3,4]`. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/**
 * The error every file loader throws for a file it refuses (safetensors, .npy, IDX, CIFAR,
 * images, ONNX): a FoveaError whose message names the file and, where the file's bytes are at
 * fault, the byte offset and the expected and actual sizes.
 *
 * @example
 * try { loadNpy('x.npy'); } catch (e) { if (e instanceof LoadError) console.log(e.file); }
 */
export class LoadError extends FoveaError {
  /** The file (or `<buffer>`) that was refused. */
  readonly file: string;
  constructor(op: string, file: string, message: string) {
    super(op, `${file}: ${message}`);
    this.name = 'LoadError';
    this.file = file;
  }
}
