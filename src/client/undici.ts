// undici's package entry loads everything it ships (fetch, WebSocket, caches, mocks, proxies):
// over half a megabyte in the bundle. The client needs only a keep-alive Pool with the request
// API, so this module loads just those parts. Types still come from the package entry.
import type { Pool as PoolType } from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports -- deep paths have no ES module or type entry */
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');
const PoolImpl = require('undici/lib/dispatcher/pool');
/* eslint-enable @typescript-eslint/no-require-imports */

// What undici's index does for every dispatcher: give it request(), stream(), pipeline() ….
Object.assign(Dispatcher.prototype, api);

export const Pool: typeof PoolType = PoolImpl;
export type Pool = PoolType;
