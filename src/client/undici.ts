// undici's package entry loads everything it ships (fetch, WebSocket, caches, mocks, proxies):
// over half a megabyte in the bundle. The client needs only a keep-alive Pool with the request
// API, so this module loads just those parts. Types still come from the package entry.
// Loading them (with node:http, node:net, node:assert …) is a third of building the services, and
// the first use of the extension seldom sends a request: they are required with the first dispatcher.
import type { Pool } from 'undici';

let poolClass: typeof Pool | undefined;

/** Loads undici's request API and Pool; every dispatcher made after this has request(), stream() …. */
export function loadUndiciRequestApi(): typeof Pool {
  if (!poolClass) {
    /* eslint-disable @typescript-eslint/no-require-imports -- deep paths have no ES module or type entry */
    const Dispatcher = require('undici/lib/dispatcher/dispatcher');
    const api = require('undici/lib/api');
    const PoolImpl: typeof Pool = require('undici/lib/dispatcher/pool');
    /* eslint-enable @typescript-eslint/no-require-imports */
    // What undici's index does for every dispatcher: give it request(), stream(), pipeline() ….
    Object.assign(Dispatcher.prototype, api);
    poolClass = PoolImpl;
  }
  return poolClass;
}

/** A keep-alive pool of connections to one origin. */
export function createPool(origin: string, options: Pool.Options): Pool {
  const PoolImpl = loadUndiciRequestApi();
  return new PoolImpl(origin, options);
}
