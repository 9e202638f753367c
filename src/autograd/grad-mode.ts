let enabled = true;

/** Whether ops currently record the graph for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording gradients (PyTorch's `torch.no_grad()`), e.g. for evaluation or
 * in-place parameter updates. Restores the previous mode even if `fn` throws.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}
