#!/usr/bin/env node
// Entry point of the `kg` command: runs the compiled CLI (dist/, built by `npm ci` or `npm run build`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('kg: the compiled program is missing (dist/cli/main.js): run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
await import(main.href);
