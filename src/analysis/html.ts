/**
 * Escapes text for HTML and SVG, in element content and in quoted attributes alike (class names
 * come from folder names and may hold anything).
 *
 * @example escapeHtml('cats & <dogs>') // 'cats &amp; &lt;dogs&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A number as a report shows it: whole numbers as they are, others with 4 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
