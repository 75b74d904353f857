// What the client-overhead figure measures, bundled the way the extension ships it (see
// clientOverhead.ts): the HTTP client, the platform registry with its adapters, and the undici Pool
// the client's dispatchers are made of, so the baseline runs on the very same undici code.
export { createHttpClient } from '../../../src/client/http';
export { findPlatform } from '../../../src/providers/registry';
export { createPool } from '../../../src/client/undici';
