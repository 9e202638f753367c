/**
 * Formats a constructor argument as PyTorch's module reprs print it, with JavaScript's literals:
 * lists in brackets (`[3, 3]`), strings bare (`mode=bilinear`), null for None.
 */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return String(value);
}

/** `name=value` pairs joined by commas, the body of most layers' extraRepr. */
export function formatArgs(args: object): string {
  return Object.entries(args)
    .map(([name, value]) => `${name}=${formatValue(value)}`)
    .join(', ');
}
