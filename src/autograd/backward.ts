import { allocArray } from '../backend/dtype.js';
import { getBackend } from '../tensor/backend-registry.js';
import { check, fmt } from '../tensor/errors.js';
import { contiguousStrides, sameShape } from '../tensor/shape.js';
import { allocStorage, outsideScopes } from '../tensor/scope-state.js';
import { Tensor } from '../tensor/tensor.js';
import { inBackwardOf, isAnomalyDetectionEnabled } from './anomaly.js';
import { noGrad } from './grad-mode.js';

/**
 * Reverse-mode autodiff from `root`: visits the recorded graph in reverse topological order, calls
 * each node's backward rule once with the summed gradient of its output, and adds the gradients
 * that reach leaves into their `.grad`.
 */
export function runBackward(root: Tensor, gradient?: Tensor): void {
  check(
    root.requiresGrad,
    'backward',
    () => 'this tensor does not require grad: no input of the computation had requiresGrad set',
  );
  if (gradient === undefined) {
    check(
      root.size === 1,
      'backward',
      () =>
        `implicit gradient only for a one-element output; got shape ${fmt(root.shape)}, pass the upstream gradient`,
    );
    const ones = allocArray(root.dtype, 1);
    ones[0] = 1;
    gradient = new Tensor(ones, root.shape, root.dtype);
  }
  check(
    sameShape(gradient.shape, root.shape),
    'backward',
    () => `gradient has shape ${fmt(gradient!.shape)} but the tensor has shape ${fmt(root.shape)}`,
  );

  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, gradient]]);
  noGrad(() => {
    for (const t of order) {
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t);
      if (t.gradFn === null) {
        // A copy: g may be shared with other leaves (add passes one g to both inputs) or be the
        // caller's own tensor, and optimizers and clipping may change .grad in place.
        // Made outside any memory scope: a leaf's gradient outlives the step, as the leaf does.
        t.grad = outsideScopes(() => (t.grad === null ? g.clone() : add(t.grad, g)));
        continue;
      }
      const { name, backward } = t.gradFn;
      const inputGrads = isAnomalyDetectionEnabled()
        ? inBackwardOf(name, () => backward(g))
        : backward(g);
      t.gradFn.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (gi === null || gi === undefined || !input.requiresGrad) return;
        check(
          sameShape(gi.shape, input.shape),
          'backward',
          () =>
            `${t.gradFn!.name} produced a gradient of shape ${fmt(gi.shape)} for an input of shape ${fmt(input.shape)}`,
        );
        const previous = grads.get(input);
        grads.set(input, previous === undefined ? gi : add(previous, gi));
      });
    }
  });
}

/** Tensors reachable from root through gradFn inputs, each after every tensor that uses it. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative depth-first search, so deep graphs do not overflow the call stack.
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, next] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (next < inputs.length) {
      top[1]++;
      const input = inputs[next];
      if (input.requiresGrad && !visited.has(input)) {
        visited.add(input);
        stack.push([input, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/** Elementwise sum of two same-shape tensors, straight on the kernel (autograd sits below ops). */
function add(a: Tensor, b: Tensor): Tensor {
  const out = allocStorage(a.dtype, a.size, false);
  const strides = contiguousStrides(a.shape);
  getBackend().binary(
    'add',
    { data: a.data, offset: 0, strides },
    { data: b.data, offset: 0, strides },
    out,
    a.shape,
  );
  return new Tensor(out, a.shape, a.dtype);
}
