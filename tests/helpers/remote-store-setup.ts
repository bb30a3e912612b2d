// Setup file of the `sparql` Vitest project: a check that its files run with the helpers of the
// remote-store run.

import { OVER_REMOTE_STORE } from './remote-store.ts';

// Test files share their worker and its modules (`isolate: false`): a helper module loaded for the
// embedded project would run these files over the embedded store, silently.
if (!OVER_REMOTE_STORE) throw new Error('the sparql project runs with the test helpers of the embedded store');
