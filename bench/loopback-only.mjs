// Preloaded into a peer that listens on every interface with no option to change it
// (comunica-sparql-http): a listen() given only a port binds 127.0.0.1 instead.
import { Server } from 'node:net';

const listen = Server.prototype.listen;
Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') return listen.call(this, args[0], '127.0.0.1', ...args.slice(1));
  return listen.apply(this, args);
};
