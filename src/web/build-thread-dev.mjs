// Starts the build thread from the TypeScript sources: worker threads do not inherit tsx's loader.
import { register } from 'tsx/esm/api';

register();
await import('./build-thread.ts');
