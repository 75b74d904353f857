import type { Services } from '../services';
import { runFromArg } from './args';

/** From a run row: re-read that run. From a connection row: reload its workflows. Otherwise all. */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const record = runFromArg(services, arg);
  if (record) {
    await services.runs.refresh(record);
    return;
  }
  services.views.refreshWorkflows(arg);
  // Runs in flight whose watcher gave up get another chance.
  await Promise.allSettled(services.store.inFlight().map((run) => services.runs.refresh(run)));
}
