// Following a workflow's runs, whoever starts them: the platform's push where it has one
// (`watchWorkflowRuns`), else its run list read again every `intervalMs` — the one place that
// polling fallback lives. Each value is the workflow's newest page of runs.
import { delay } from '../util/delay';
import type { RunSnapshot } from './model';
import type { WorkflowProvider } from './provider';

export type WorkflowRunsProvider = Pick<WorkflowProvider, 'listRuns' | 'watchWorkflowRuns'>;

/** How a provider can follow a workflow's runs: pushed, polled, or not at all (Zuora lists no runs). */
export function workflowRunsMode(provider: WorkflowRunsProvider): 'push' | 'poll' | undefined {
  if (provider.watchWorkflowRuns) return 'push';
  return provider.listRuns ? 'poll' : undefined;
}

/** The workflow's newest runs each time they may have changed, until `signal` aborts. */
export async function* followWorkflowRuns(provider: WorkflowRunsProvider, workflowId: string, signal: AbortSignal, intervalMs: number): AsyncGenerator<RunSnapshot[]> {
  if (provider.watchWorkflowRuns) {
    yield* provider.watchWorkflowRuns(workflowId, signal);
    return;
  }
  if (!provider.listRuns) return;
  while (!signal.aborted) {
    yield (await provider.listRuns(workflowId, undefined, signal)).items;
    await delay(intervalMs, signal);
  }
}
