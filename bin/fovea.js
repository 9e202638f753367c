#!/usr/bin/env node
// The `fovea` command: the compiled CLI (built by `npm ci` / `npm run build`).
import '../dist/cli/main.js';
