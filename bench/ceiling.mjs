// The most Node can do with the same store: a bare node:http server that runs each query on an
// oxigraph store in its own (the only) thread, with no parsing of parameters beyond `query`, the
// Accept header taken as the format (no negotiation), no limits, no isolation, no log. The bench measures our endpoint against it.
//
//   node bench/ceiling.mjs DATASET.nq   (prints {"url": ...} once listening)

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import oxigraph from 'oxigraph';

const store = new oxigraph.Store();
store.load(readFileSync(process.argv[2], 'utf8'), { format: 'application/n-quads' });
// The default graph is the set union of the named graphs, as in our store.
store.update('INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }');

const server = createServer((req, res) => {
  try {
    const query = new URL(req.url, 'http://localhost').searchParams.get('query');
    // The bench asks for the format the query's form takes (results or triples).
    const type = req.headers.accept;
    const body = store.query(query, { results_format: type });
    res.writeHead(200, { 'content-type': type }).end(body);
  } catch (error) {
    res.writeHead(400).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })));
process.on('SIGTERM', () => process.exit(0));
