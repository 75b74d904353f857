// A payload test started from the Testing view goes through the run service like any other run:
// it is recorded in history, shows in the Runs view and its details panel, and is watched by the
// run watchers. The test follows it through the store (which the watcher feeds) instead of
// opening a second stream to the platform. No `vscode` import: unit tests use a real store.
import { isTerminal, type RunSnapshot } from '../providers/model';
import type { TriggeredRun } from '../providers/provider';
import type { RunRecord } from '../runs/record';
import type { RunStore } from '../runs/store';
import type { RunService } from '../services';
import type { PreparedTest } from '../testing/runTest';
import * as l10n from '@vscode/l10n';

export interface TestTriggerOptions {
  /** The payload file, remembered on the run (re-run, "open inputs as payload"). */
  payloadUri?: string;
  /** Called once the run is recorded (the "Run (show details)" profile opens its panel here). */
  recorded?(record: RunRecord): void;
}

/**
 * Starts a prepared test's run through the run service. Aborting `signal` while the run is being
 * sent cancels the sending; afterwards the caller stops the run (runTest.ts does).
 */
export async function triggerThroughRunService(
  runs: Pick<RunService, 'trigger'>,
  store: Pick<RunStore, 'get' | 'onDidChange'>,
  test: PreparedTest,
  signal: AbortSignal,
  options: TestTriggerOptions = {},
): Promise<TriggeredRun> {
  signal.throwIfAborted();
  let updates: AsyncIterable<RunSnapshot> | undefined;
  const record = await runs.trigger(
    test.target,
    { inputs: test.inputs, options: test.options, ...(test.files ? { files: test.files } : {}), payloadUri: options.payloadUri },
    {
      whileSending: async (_what, cancel, send) => {
        const onAbort = () => cancel();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          return await send();
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
      },
      recorded: (recorded) => {
        // Subscribed at the moment the run is recorded, before its watcher can change it.
        updates = storeUpdates(store, recorded.connection, recorded.snapshot.runId, signal);
        options.recorded?.(recorded);
      },
    },
  );
  if (!record) throw new Error(l10n.t('the run was not started'));
  return { snapshot: record.snapshot, updates };
}

/**
 * The run as the store sees it, after each change, until it ends. It also ends (without a final
 * state) when the run is removed or its watcher reports a problem: the test's follower then asks
 * the platform itself, so a watcher that gave up never leaves a test waiting forever.
 */
export function storeUpdates(store: Pick<RunStore, 'get' | 'onDidChange'>, connection: string, runId: string, signal: AbortSignal): AsyncIterable<RunSnapshot> {
  let changed = false;
  let wake: (() => void) | undefined;
  const subscription = store.onDidChange((changes) => {
    if (!changes.some((change) => change.record.connection === connection && change.record.snapshot.runId === runId)) return;
    changed = true;
    wake?.();
  });
  const release = () => {
    subscription.dispose();
    signal.removeEventListener('abort', onAbort);
  };
  // Aborting also releases a stream nobody iterates (a run that ended with its trigger).
  const onAbort = () => {
    release();
    wake?.();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (;;) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (changed || signal.aborted) resolve();
          });
          wake = undefined;
          signal.throwIfAborted();
          changed = false;
          const current = store.get(connection, runId);
          if (!current) return;
          yield current.snapshot;
          if (isTerminal(current.snapshot.status) || current.watchError) return;
        }
      } finally {
        release();
      }
    },
  };
}
