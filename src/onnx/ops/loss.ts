/** The loss operators: NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss, via fovea's nllLoss. */
import * as ops from '../../ops/index.js';
import type { Reduction } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { NodeContext, OnnxOpTable } from '../node-context.js';

/** nllLoss with the node's reduction (default mean), ignore_index and optional class weights. */
function negativeLogLikelihood(ctx: NodeContext, logProbs: Tensor): Tensor {
  const reduction = ctx.string('reduction', 'mean');
  ctx.check(
    ['mean', 'sum', 'none'].includes(reduction),
    () => `reduction must be mean, sum or none, got '${reduction}'`,
  );
  const target = ctx.input(1, 'target');
  const options = {
    reduction: reduction as Reduction,
    ignoreIndex: ctx.has('ignore_index') ? ctx.int('ignore_index', 0) : -100,
  };
  const weight = ctx.inputs[2];
  return ops.nllLoss(logProbs, target, weight ? { ...options, weight } : options);
}

/** Loss operators. */
export const lossOps: OnnxOpTable = {
  NegativeLogLikelihoodLoss: (ctx) => negativeLogLikelihood(ctx, ctx.input(0)),
  SoftmaxCrossEntropyLoss: (ctx) => {
    const logProbs = ops.logSoftmax(ctx.input(0), 1);
    return [negativeLogLikelihood(ctx, logProbs), logProbs];
  },
};
