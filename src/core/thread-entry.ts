// Where the module a thread starts from is (the build thread, each query worker).
//
// From dist/ (`npm start`) it is the compiled module. From the TypeScript sources (tests, `npm run
// dev`) it is the compiled module too while the last build ended after the last change to a
// source file, as `npm test` leaves it; otherwise a small shim registers tsx in the thread first,
// since a thread does not inherit the loader. Through tsx a query worker took 0.34-0.51 s to load
// its modules, against 0.12 s compiled, and a server starts four threads.
//
// The build's end is the mark `npm run build` writes last (dist/.built), not the compiled entry's
// own time: the build is incremental, and rewrites only the modules whose source changed.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FROM_SOURCES = import.meta.url.endsWith('.ts');

/** The entry of a thread, by its path under src/ without extension ('web/build-thread'). */
export function threadEntry(path: string): URL {
  if (!FROM_SOURCES) return new URL(`../${path}.js`, import.meta.url);
  const compiled = new URL(`../../dist/${path}.js`, import.meta.url);
  if (existsSync(compiled) && builtSinceLastChange()) return compiled;
  return new URL(`../${path}-dev.mjs`, import.meta.url);
}

/** Whether the last build ended after the last change to any source file. */
function builtSinceLastChange(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(BUILT_MARK).mtimeMs;
  } catch {
    return false;
  }
  return newestSourceChange() < builtAt;
}

const BUILT_MARK = new URL('../../dist/.built', import.meta.url);

let newestSource: number | undefined;

/** The latest change to a .ts file of src/, read once: the sources do not change under a running process. */
function newestSourceChange(): number {
  newestSource ??= newestTsChange(fileURLToPath(new URL('../', import.meta.url)));
  return newestSource;
}

function newestTsChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTsChange(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
