// Setup file of the `sparql` Vitest project: the Virtuosos a test file started are stopped when
// the file is done (a worker ended with a signal would not run exit handlers).

import { afterAll } from 'vitest';
import { stopStores } from './remote-store.ts';

afterAll(stopStores);
