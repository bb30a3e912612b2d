// The layout's one rule, checked on every import of src/: dependencies point one way along the
// data flow (core → text → engine → dataset → protocol → web → cli), folders import each other
// without cycles, and each heavy library is confined to the folder that wraps it; a query worker
// loads only what it needs to start.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Lower layers first: a file may import its own layer and the layers before it, never after. */
const LAYERS = ['types', 'core', 'text', 'engine', 'dataset', 'writes', 'protocol', 'web', 'cli'];

/** Packages only the named folders (or files) may import. */
const CONFINED: Record<string, string[]> = {
  oxigraph: ['src/engine/rdf/graph-store.ts'],
  // Through its modules one by one, never its index (see src/core/n3.ts).
  n3: ['src/core/n3.ts'],
  '@comunica/query-sparql': ['src/engine/federation/'],
  'ipaddr.js': ['src/engine/federation/'],
  undici: ['src/engine/federation/', 'src/engine/remote/'],
  'shacl-engine': ['src/dataset/'],
  sparqljs: ['src/writes/', 'src/engine/remote/'],
  express: ['src/web/'],
  cors: ['src/web/'],
  pino: ['src/web/'],
  commander: ['src/cli/'],
};

type Imports = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = posix.join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * Every module each file imports: relative ones resolved to project paths, packages by name;
 * with `{ atLoad: true }` only those loaded with the file (no `import()`, no `import type`).
 */
function importsOf(files: string[], { atLoad = false } = {}): Imports {
  const pattern = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  return new Map(files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const matches = [...text.matchAll(pattern)].filter((m) => !atLoad || (m[2] === undefined && !/^\s*(import|export) type\s/.test(m[0])));
    const specifiers = matches.map((m) => (m[1] ?? m[2] ?? m[3])!);
    return [file, specifiers.map((spec) => (spec.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), spec)) : spec))];
  }));
}

const layerOf = (path: string) => path.split('/')[1]!;
const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);

/** Imports from a layer to a later one, as "from -> to" lines. */
export function upwardImports(imports: Imports): string[] {
  const problems: string[] = [];
  for (const [file, targets] of imports) {
    for (const target of targets.filter((t) => t.startsWith('src/'))) {
      const [from, to] = [LAYERS.indexOf(layerOf(file)), LAYERS.indexOf(layerOf(target))];
      if (from < 0 || to < 0 || to > from) problems.push(`${file} -> ${target}`);
    }
  }
  return problems;
}

/** Cycles between folders (a folder importing, directly or not, a folder that imports it). */
export function folderCycles(imports: Imports): string[] {
  const edges = new Map<string, Set<string>>();
  for (const [file, targets] of imports) {
    for (const target of targets.filter((t) => t.startsWith('src/'))) {
      const [from, to] = [posix.dirname(file), posix.dirname(target)];
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycles: string[] = [];
  const reaches = (start: string, goal: string, seen = new Set<string>()): string[] | undefined => {
    for (const next of edges.get(start) ?? []) {
      if (next === goal) return [start, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const path = reaches(next, goal, seen);
      if (path) return [start, ...path];
    }
    return undefined;
  };
  for (const folder of edges.keys()) {
    const path = reaches(folder, folder);
    if (path) cycles.push(path.join(' -> '));
  }
  return cycles;
}

/** Imports of a confined package from outside the folders allowed to use it. */
export function confinementBreaches(imports: Imports): string[] {
  const problems: string[] = [];
  for (const [file, targets] of imports) {
    for (const spec of targets.filter((t) => !t.startsWith('src/') && !t.startsWith('node:'))) {
      const allowed = CONFINED[packageOf(spec)];
      if (allowed && !allowed.some((prefix) => file.startsWith(prefix))) problems.push(`${file} imports ${spec}`);
    }
  }
  return problems;
}

/** The packages a file loads with it, through its imports and theirs. */
export function packagesLoadedWith(imports: Imports, entry: string): Set<string> {
  const packages = new Set<string>();
  const files = new Set([entry]);
  for (const file of files) {
    for (const target of imports.get(file) ?? []) {
      if (target.startsWith('src/')) files.add(target);
      else if (!target.startsWith('node:')) packages.add(packageOf(target));
    }
  }
  return packages;
}

const imports = importsOf(sourceFiles('src'));
/** Only what a module loads as it is imported: no `import type`, no `import()` on use. */
const importsAtLoad = importsOf(sourceFiles('src'), { atLoad: true });

describe('the import rule', () => {
  it('reads the imports of every source file', () => {
    expect(imports.size).toBeGreaterThan(50);
    expect(imports.get('src/web/app.ts')).toContain('src/protocol/query.ts');
    expect(imports.get('src/engine/rdf/graph-store.ts')).toContain('oxigraph');
  });

  it('has every folder of src/ in a layer', () => {
    const folders = readdirSync('src').filter((name) => statSync(join('src', name)).isDirectory());
    expect(folders.filter((folder) => !LAYERS.includes(folder))).toEqual([]);
  });

  it('never imports from a later layer', () => {
    expect(upwardImports(imports)).toEqual([]);
  });

  it('has no cycle between folders', () => {
    expect(folderCycles(imports)).toEqual([]);
  });

  it('keeps oxigraph, Comunica, SHACL, Express, pino and commander in their own folders', () => {
    expect(confinementBreaches(imports)).toEqual([]);
  });

  // Each worker the pool adds beside a heavy query pays its imports: the exporters and Comunica
  // were half of a worker's start (80 of 160 ms) and are rarely used, so they load on first use.
  it('starts a query worker without the exporters or Comunica', () => {
    const loaded = packagesLoadedWith(importsAtLoad, 'src/engine/embedded/query-worker.ts');
    expect(loaded).toContain('oxigraph');
    expect([...loaded].filter((name) => ['jsonld', '@comunica/query-sparql', 'undici'].includes(name))).toEqual([]);
  });

  // Every `kg` command and every start loads the CLI: JSON-LD, the HTTP client of the remote store
  // and of federation, Comunica and the SHACL engine cost 0.1-0.5 s each to import, and most runs
  // use none of them; the server's own modules (Express, the routes, pino) load for `kg serve` alone.
  const LOADED_ON_USE = ['jsonld', 'undici', '@comunica/query-sparql', 'rdf-ext', 'shacl-engine'];

  it('starts the CLI without the server, JSON-LD, undici, Comunica or the SHACL engine', () => {
    const loaded = packagesLoadedWith(importsAtLoad, 'src/cli/main.ts');
    expect(loaded).toContain('commander');
    expect([...loaded].filter((name) => [...LOADED_ON_USE, 'express', 'pino'].includes(name))).toEqual([]);
  });

  it('starts the server without JSON-LD, undici, Comunica or the SHACL engine', () => {
    const loaded = packagesLoadedWith(importsAtLoad, 'src/web/server.ts');
    expect(loaded).toContain('express');
    expect([...loaded].filter((name) => LOADED_ON_USE.includes(name))).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const bad: Imports = new Map([
      ['src/engine/x.ts', ['src/web/app.ts', 'express']],
      ['src/web/a/y.ts', ['src/web/b/z.ts']],
      ['src/web/b/z.ts', ['src/web/a/y.ts', 'oxigraph']],
    ]);
    expect(upwardImports(bad)).toEqual(['src/engine/x.ts -> src/web/app.ts']);
    expect(folderCycles(bad)).toContain('src/web/a -> src/web/b -> src/web/a');
    expect(confinementBreaches(bad)).toEqual(['src/engine/x.ts imports express', 'src/web/b/z.ts imports oxigraph']);
    expect([...packagesLoadedWith(bad, 'src/web/a/y.ts')].sort()).toEqual(['oxigraph']);
  });
});
