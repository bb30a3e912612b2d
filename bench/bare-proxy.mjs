// The least a layer in front of a SPARQL store can cost: a node:http server that passes each GET
// on to the store with undici (keep-alive, as ours) and pipes the answer back, with no checks, no
// rewriting, no framework. The bench runs it as a child process beside our server.
//
//   node bench/bare-proxy.mjs STORE_SPARQL_URL   (prints {"url": ...} once listening)

import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const store = process.argv[2];
const dispatcher = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
const server = createServer(async (req, res) => {
  try {
    const query = req.url.slice(req.url.indexOf('?'));
    const answer = await request(`${store}${query}`, { headers: { accept: req.headers.accept ?? '*/*' }, dispatcher });
    res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] });
    for await (const chunk of answer.body) res.write(chunk);
    res.end();
  } catch (error) {
    res.writeHead(502).end(String(error));
  }
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })));
process.on('SIGTERM', () => process.exit(0));
