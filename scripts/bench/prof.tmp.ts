import { buildStream } from './figures/sse';
import { readSse } from '../../src/client/sse';
import { DifyRunTracker } from '../../src/providers/dify/events';
async function* replay(chunks: Uint8Array[]) { for (const c of chunks) yield c; }
async function main() {
const chunks = buildStream();
for (let i = 0; i < 8; i++) {
  const t = new DifyRunTracker({ workflowId: 'wf' });
  const s = performance.now();
  for await (const e of readSse(replay(chunks), { endpoint: 'b' })) t.apply(e);
  console.log((performance.now() - s).toFixed(1));
}
}
void main();
