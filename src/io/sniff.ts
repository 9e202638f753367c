/**
 * Recognizes files that are something else entirely, for loaders' error messages: the most
 * common is a web page saved under a model's or dataset's name (a download link that led to a
 * login or an error page).
 */

const HTML_STARTS = ['<!doctype html', '<html', '<?xml', '<head', '<!--'];

/**
 * A sentence to append to a "not a <format> file" error when `bytes` start like an HTML page,
 * else ''.
 *
 * @example
 * htmlHint(new TextEncoder().encode('<!DOCTYPE html><html>...')); // '; it is an HTML page ...'
 */
export function htmlHint(bytes: Uint8Array): string {
  const start = new TextDecoder('latin1').decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  if (!HTML_STARTS.some((s) => start.startsWith(s))) return '';
  return '; it is an HTML page, not the file itself: the download probably saved a web page (a login, redirect or error page), so download the file again from its direct link';
}
