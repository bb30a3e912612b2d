// Starts a query worker from the TypeScript sources: worker threads do not inherit tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./query-worker.ts');
