/** A module worker for the browser test: runs the scenario when asked, and posts the result. */
import { run } from './page.js';

// The worker's globals used here (the project compiles without the DOM's types).
declare function postMessage(data: unknown): void;
declare function addEventListener(
  type: 'message',
  listener: (event: { data: number | undefined }) => void,
): void;

addEventListener('message', async ({ data }) => postMessage(await run(data)));
