// The `kg` command line: query, validate, stats, export and segment, each a subcommand.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Command, Option, InvalidArgumentError } from 'commander';
import { loadConfig, parsePort, parsePositiveInteger, type Config } from '../core/config.ts';
import { messageOf } from '../core/errors.ts';
import { synthesizeCorpus } from '../dataset/synth.ts';
import { progress, type Progress } from './progress.ts';
import { pushDataset } from '../dataset/push.ts';
import type { RunningServer } from '../web/server.ts';
import { BUILD_STEP_NAMES, type BuildProgress, type KnowledgeGraph } from '../dataset/build.ts';
import { buildCurrentGraph, createWriter } from '../writes/state.ts';
import { addSource } from '../writes/graph-ops.ts';
import { Journal, readJournal } from '../writes/journal.ts';
import { encodeRecord, type PatchRecord } from '../writes/rdf-patch.ts';
import { graphStats, formatStats } from '../dataset/stats.ts';
import { GRAPH_FORMATS as RDF_FORMATS, RESULT_FORMATS as RESULTS_FORMATS, mediaTypeOf, rdfSyntaxOfFile, type RdfSyntax, type ResultsFormat } from '../core/formats.ts';
import { analyzeQuery, queryForm, returnsGraph } from '../engine/query-analysis.ts';
import { textGraphTrig } from '../text/text-graph.ts';
import { dumpDataset } from '../engine/rdf/dump.ts';
import { runFederated } from '../engine/federation/comunica.ts';
import { parseSource, type SourceSpec } from '../engine/federation/sources.ts';
import { renderTable } from './table.ts';

/** `-f` choices: a plain-text table or a SPARQL results format for SELECT/ASK, an RDF syntax for graphs. */
const RESULT_FORMATS = ['table', ...RESULTS_FORMATS.map((format) => format.id)];
const GRAPH_FORMATS: string[] = RDF_FORMATS.map((format) => format.id);

interface GlobalOptions {
  baseIri?: string;
  dataDir?: string;
  ontologyDir?: string;
  stateDir?: string;
}

function configFrom(command: Command, overrides: Partial<Config> = {}): Config {
  const options = command.optsWithGlobals<GlobalOptions>();
  return loadConfig(process.env, {
    ...(options.baseIri ? { baseIri: options.baseIri } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.ontologyDir ? { ontologyDir: options.ontologyDir } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...overrides,
  });
}

/** A query given inline, or the path of a .rq file. */
function readQuery(queryOrFile: string): string {
  if (queryOrFile.endsWith('.rq') || (existsSync(queryOrFile) && !/\s/.test(queryOrFile))) {
    if (!existsSync(queryOrFile)) throw new InvalidArgumentError(`query file not found: ${queryOrFile}`);
    return readFileSync(queryOrFile, 'utf8');
  }
  return queryOrFile;
}

function write(text: string, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

/** A --source of `kg federate`. */
function cliSource(source: string, baseIri: string): SourceSpec {
  const spec = parseSource(source);
  if (spec) return spec;
  if (!existsSync(source)) throw new InvalidArgumentError(`source not found: ${source} (use self, a file, sparql@URL or a URL)`);
  const syntax = rdfSyntaxOfFile(source);
  if (!syntax) throw new InvalidArgumentError(`unknown RDF file type: ${source} (use ${RDF_FORMATS.map((f) => `.${f.extension}`).join(' ')})`);
  return { type: 'serialized', value: readFileSync(source, 'utf8'), mediaType: mediaTypeOf(syntax), baseIri: `${baseIri}${basename(source)}` };
}

export function createProgram(): Command {
  const program = new Command('kg')
    .description('diplomacy-kg: build, check, query and export the knowledge graph')
    .option('--base-iri <iri>', 'base IRI for relative IRIs in data files (env KG_BASE_IRI)')
    .option('--data-dir <dir>', 'directory of data files (env KG_DATA_DIR)')
    .option('--ontology-dir <dir>', 'directory of the ontology and shapes (env KG_ONTOLOGY_DIR)')
    .option('--state-dir <dir>', 'directory of the journal and snapshot of writes (env KG_STATE_DIR, default ./state)')
    .showHelpAfterError();

  program.command('serve')
    .description('serve the graph over HTTP: SPARQL 1.1 Protocol endpoint and linked data')
    .option('--port <port>', 'port to listen on, 0 for any free port (env PORT, default 7878)')
    .option('--host <host>', 'address to listen on (env HOST, default 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }, command: Command) => {
      const config = configFrom(command, {
        ...(options.port !== undefined ? { port: parsePort(options.port, '--port') } : {}),
        ...(options.host ? { host: options.host } : {}),
      });
      // Listened for before the start, so that a signal sent as soon as the listening line is out
      // finds the server (the line is written before startServer resolves, and a signal's handler
      // runs only after that). A signal during the start ends the process as it would unhandled.
      let running: RunningServer | undefined;
      const shutDown = (signal: NodeJS.Signals) => {
        if (!running) {
          process.kill(process.pid, signal);
          return;
        }
        running.logger.info({ signal }, 'shutting down');
        running.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', shutDown);
      process.once('SIGINT', shutDown);
      // Imported for this command alone: the server's modules (Express, the routes, the logger)
      // were most of the start of every other command.
      const { startServer } = await import('../web/server.ts');
      running = await startServer(config, undefined, {
        // Workers that cannot start again (after retries): end with a message, never hang half-alive.
        onFatal: (error) => {
          process.stderr.write(`kg: ${error.message}\n`);
          process.exit(1);
        },
      });
    });

  program.command('query')
    .description('run a SPARQL query (inline text or a .rq file) against the knowledge graph')
    .argument('<query>', 'SPARQL query text or path of a .rq file')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...RESULT_FORMATS, ...GRAPH_FORMATS]))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (queryOrFile: string, options: { format?: string; out?: string }, command: Command) => {
      const config = configFrom(command);
      const sparql = readQuery(queryOrFile);
      const form = queryForm(sparql);
      if (form === 'UPDATE') throw new InvalidArgumentError('kg query runs queries; send updates to a running server (POST /sparql with a write token)');
      const graphResult = returnsGraph(form);
      const format = options.format ?? (graphResult ? 'turtle' : 'table');
      if (graphResult !== GRAPH_FORMATS.includes(format)) {
        const allowed = graphResult ? GRAPH_FORMATS : RESULT_FORMATS;
        throw new InvalidArgumentError(`format "${format}" does not fit a ${form} query; use one of ${allowed.join(', ')}`);
      }
      const kg = await currentGraph(config);
      const queryOptions = { baseIri: config.baseIri };
      if (format === 'table') write(renderTable(kg.store.serialize(sparql, 'json', queryOptions), config.baseIri), options.out);
      else write(kg.store.serialize(sparql, format as ResultsFormat, queryOptions), options.out);
    });

  program.command('federate')
    .description('run a query over several sources at once with Comunica: this graph, SPARQL endpoints, RDF files or URLs')
    .argument('<query>', 'SPARQL query text or path of a .rq file')
    .option('-s, --source <source>', 'self | a file (.ttl .trig .nt .nq .jsonld .rdf) | sparql@URL | URL (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .addOption(new Option('-f, --format <format>', 'output format').choices([...RESULT_FORMATS, ...GRAPH_FORMATS]))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (queryOrFile: string, options: { source: string[]; format?: string; out?: string }, command: Command) => {
      const config = configFrom(command);
      const sparql = readQuery(queryOrFile);
      const { form, services } = analyzeQuery(sparql);
      if (options.source.length === 0 && services.length === 0) {
        throw new InvalidArgumentError('name at least one --source, or use SERVICE in the query');
      }
      const graphResult = returnsGraph(form);
      const format = options.format ?? (graphResult ? 'turtle' : 'table');
      const sources = options.source.map((source) => cliSource(source, config.baseIri));
      // Sources named on the command line are chosen by the user: they join the allow-list.
      const named = sources.flatMap((source) => ('url' in source ? [source.url] : []));
      const kg = await currentGraph(config);
      const body = await runFederated(kg.store, {
        query: sparql,
        format: (format === 'table' ? 'json' : format) as ResultsFormat,
        sources,
        limits: { allowList: [...config.federationAllow, ...named], timeoutMs: config.federationTimeoutMs, maxBytes: config.federationMaxBytes },
        maxResultBytes: config.maxResultBytes,
        baseIri: config.baseIri,
      });
      write(format === 'table' ? renderTable(body, config.baseIri) : body, options.out);
    });

  program.command('validate')
    .description('load the ontology and data, check text offsets and SHACL shapes')
    .action(async (_options: unknown, command: Command) => {
      const kg = await currentGraph(configFrom(command));
      const stats = graphStats(kg);
      process.stdout.write(`valid: ${stats.quads} quads in ${stats.namedGraphs} named graphs conform to the shapes\n`);
    });

  program.command('stats')
    .description('print what the knowledge graph holds')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const stats = graphStats(await currentGraph(configFrom(command)));
      process.stdout.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : formatStats(stats));
    });

  program.command('export')
    .description('write the whole knowledge graph (quad formats keep the named graphs)')
    .addOption(new Option('-f, --format <format>', 'RDF format').choices(GRAPH_FORMATS).default('turtle'))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (options: { format: RdfSyntax; out?: string }, command: Command) => {
      const kg = await currentGraph(configFrom(command));
      write(await dumpDataset(kg.store, options.format), options.out);
    });

  program.command('push')
    .description('check the data (with what the state directory adds) as the server does at start, and load it into the remote store: '
      + 'every graph replaced, the union default graph and the registry of graphs rewritten, graphs no longer in the data dropped')
    .option('--query-url <url>', "the store's SPARQL query endpoint (env KG_STORE_QUERY_URL)")
    .option('--update-url <url>', "the store's SPARQL update endpoint (env KG_STORE_UPDATE_URL; default: the query endpoint)")
    .action(async (options: { queryUrl?: string; updateUrl?: string }, command: Command) => {
      const config = configFrom(command, {
        store: 'sparql',
        ...(options.queryUrl ? { storeQueryUrl: options.queryUrl } : {}),
        ...(options.updateUrl ? { storeUpdateUrl: options.updateUrl } : {}),
      });
      const kg = await currentGraph(config);
      const { remoteEngineOf } = await import('../web/remote-store.ts');
      const engine = remoteEngineOf(config);
      try {
        const bar = progress('push', kg.store.size, 'quads');
        const outcome = await pushDataset(kg.store, engine, {
          timeoutMs: config.queryTimeoutMs,
          onProgress: ({ quads, graphs, totalGraphs }) => bar.update(quads, `${graphs}/${totalGraphs} graphs`),
        });
        bar.finish(`${outcome.quads} quads in ${outcome.graphs} graphs and the union${outcome.dropped.length > 0 ? `; dropped ${outcome.dropped.length} graphs no longer in the data` : ''}`);
      } finally {
        await engine.close();
      }
    });

  program.command('add-source')
    .description('add a source text and its RDF on top of the data, checked as the loader checks them, to the journal of the state directory')
    .argument('<text>', 'the source text (SLUG.txt)')
    .argument('<data>', 'its RDF (.trig, or .ttl whose triples go to graph/SLUG)')
    .option('--author <name>', 'who adds it, recorded in the provenance graph', 'cli')
    .action(async (textFile: string, dataFile: string, options: { author: string }, command: Command) => {
      for (const file of [textFile, dataFile]) if (!existsSync(file)) throw new InvalidArgumentError(`file not found: ${file}`);
      const syntax = rdfSyntaxOfFile(dataFile);
      if (!syntax) throw new InvalidArgumentError(`unknown RDF file type: ${dataFile} (use ${RDF_FORMATS.map((f) => `.${f.extension}`).join(' ')})`);
      const config = configFrom(command);
      const { kg, restored } = await buildCurrentGraph(config, { writable: true, onWarning: warn });
      const journal = restored.journal!;
      try {
        const writer = createWriter(kg, config, journal, { publish: () => Promise.resolve() });
        const slug = basename(textFile, extname(textFile));
        const { result: graphs, added } = await writer.write(options.author, (tx) => addSource(tx, {
          slug, text: readFileSync(textFile, 'utf8'), data: { text: readFileSync(dataFile, 'utf8'), syntax },
        }, config.baseIri));
        process.stdout.write(`added source ${slug}: ${added} quads in ${graphs.length} graphs, journaled in ${config.stateDir}\n`);
      } finally {
        await journal.close();
      }
    });

  program.command('snapshot')
    .description('fold the journal of the state directory into its snapshot and empty the journal (a running server does this itself)')
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      const journal = await Journal.open(config.stateDir, { onWarning: warn });
      try {
        const records = journal.records;
        await journal.snapshot();
        process.stdout.write(`snapshot written: ${records} journal records folded into ${config.stateDir}/snapshot.rdfp\n`);
      } finally {
        await journal.close();
      }
    });

  program.command('journal')
    .description('print the writes of the state directory: who, when, what')
    .option('--patch', 'print them as RDF Patch')
    .action((options: { patch?: boolean }, command: Command) => {
      const config = configFrom(command);
      const contents = readJournal(config.stateDir);
      const records = [...(contents.snapshot ? [contents.snapshot] : []), ...contents.records];
      if (options.patch) process.stdout.write(records.map(encodeRecord).join(''));
      else process.stdout.write(records.map(describeRecord).join(''));
      if (contents.problem) process.stderr.write(`kg: the journal ends with a torn or damaged record (${contents.problem}); a server with a write token cuts it off at start\n`);
    });

  program.command('synth')
    .description('write a deterministic synthetic corpus in the layout of data/ (texts and their RDF), for load and scale measurements')
    .requiredOption('--triples <n>', 'about this many triples', (value: string) => parsePositiveInteger(value, '--triples'))
    .option('--seed <n>', 'the random seed: the same seed writes the same files', (value: string) => parsePositiveInteger(value, '--seed'), 1)
    .requiredOption('--out <dir>', 'the directory to write (serve it with KG_DATA_DIR=DIR)')
    .action((options: { triples: number; seed: number; out: string }) => {
      const bar = progress('synth', options.triples, 'triples');
      const written = synthesizeCorpus({ ...options, onProgress: ({ texts, triples }) => bar.update(triples, `${texts} texts`) });
      bar.finish(`${written.texts} texts, ${written.triples.toLocaleString('en')} triples in ${options.out}`);
    });

  program.command('segment')
    .description('split a source text into sentences and print the TriG skeleton of its text graph')
    .argument('<file>', 'the source text (.txt)')
    .option('--slug <slug>', 'the text\'s slug (default: the file name without extension)')
    .action((file: string, options: { slug?: string }) => {
      if (!existsSync(file)) throw new InvalidArgumentError(`file not found: ${file}`);
      const slug = options.slug ?? basename(file, extname(file));
      process.stdout.write(textGraphTrig(slug, readFileSync(file, 'utf8')));
    });

  return program;
}

/** The graph with what was written on top of it (the state directory is only read); long loads show progress. */
async function currentGraph(config: Config): Promise<KnowledgeGraph> {
  return (await buildCurrentGraph(config, { writable: false, onWarning: warn, onProgress: buildProgress() })).kg;
}

/** A progress line per build step (loading files, checking shapes), shown only when the step takes a while. */
function buildProgress(): (step: BuildProgress) => void {
  const bars = new Map<string, Progress>();
  return ({ step, done, total, unit }) => {
    let bar = bars.get(step);
    if (!bar) bars.set(step, bar = progress(BUILD_STEP_NAMES[step], total, unit, { quietWhenShort: true }));
    if (done < total) bar.update(done, PROGRESS_DETAILS[step]);
    else bar.finish(`${total.toLocaleString('en')} ${unit}`);
  };
}

const PROGRESS_DETAILS: Record<BuildProgress['step'], string> = {
  load: 'parsing RDF',
  screen: 'SPARQL over the store',
  shapes: 'SHACL in chunks',
};

function warn(message: string, details: Record<string, unknown>): void {
  process.stderr.write(`kg: ${message} (${JSON.stringify(details)})\n`);
}

/** One journal record as a line: when, who, how much, which. */
function describeRecord(record: PatchRecord): string {
  const graphs = new Set([...record.change.removed, ...record.change.added].map((quad) => quad.graph.value));
  return `${record.created}  ${record.author.padEnd(12)}  -${record.change.removed.length} +${record.change.added.length} quads in ${graphs.size} graphs  ${record.id}\n`;
}

/** Runs the CLI; problems become a message on stderr and exit code 1, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (error) {
    // DataError, InvalidArgumentError and HttpError messages are written for people already.
    process.stderr.write(`kg: ${messageOf(error)}\n`);
    // Exit now: a half-started server (workers, timers) must not keep the process alive.
    process.exit(1);
  }
}

await main(process.argv);
