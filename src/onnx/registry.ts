/**
 * Every supported ONNX operator (default domain), by op_type: the union of the op-family tables
 * in ops/. Adding an operator means adding one entry to its family's table.
 */
import type { OnnxOp } from './node-context.js';
import { activationOps } from './ops/activation.js';
import { convOps } from './ops/conv.js';
import { elementwiseOps } from './ops/elementwise.js';
import { generatorOps } from './ops/generator.js';
import { lossOps } from './ops/loss.js';
import { matmulOps } from './ops/matmul.js';
import { normOps } from './ops/norm.js';
import { poolOps } from './ops/pool.js';
import { quantizedOps } from './ops/quantized.js';
import { reduceOps } from './ops/reduce.js';
import { resizeOps } from './ops/resize.js';
import { shapeOps } from './ops/shape.js';
import { typeOps } from './ops/type.js';

/** The operators fovea runs, by ONNX op_type. */
export const onnxOps: ReadonlyMap<string, OnnxOp> = new Map(
  Object.entries({
    ...activationOps,
    ...convOps,
    ...elementwiseOps,
    ...generatorOps,
    ...lossOps,
    ...matmulOps,
    ...normOps,
    ...poolOps,
    ...quantizedOps,
    ...reduceOps,
    ...resizeOps,
    ...shapeOps,
    ...typeOps,
  }),
);
