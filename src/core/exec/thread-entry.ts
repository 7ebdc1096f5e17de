import { parentPort, workerData } from 'node:worker_threads';
import { UNITS } from '../units/index.js';
import { systemClock } from '../util/clock.js';
import { setThreadBudget } from '../util/threads.js';
import { errorToData } from './errors.js';
import { handlerFor } from './local.js';
import { makeUnitCache } from './types.js';

// One thread of the `--threads` pool: runs units by kind from the whitelist, one at a time.
const data = workerData as { budget: number; registry: string };
setThreadBudget(data.budget);
const cache = makeUnitCache();
const port = parentPort;
if (port !== null) {
  port.on('message', (m: { id: number; kind: string; params: unknown }) => {
    Promise.resolve()
      .then(() => handlerFor(UNITS, m.kind)(m.params, { cache, clock: systemClock, registry: data.registry }))
      .then(
        (result) => port.postMessage({ id: m.id, ok: true, result }),
        (err: unknown) => port.postMessage({ id: m.id, ok: false, error: errorToData(err) }),
      );
  });
}
