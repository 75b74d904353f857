// Running one payload file as a test: read it through the payload pipeline (nothing is sent when the file, its `$expect`,
// `$workflow` or `$options` are wrong), trigger the run, follow it to its end (stopping it on the
// platform when `maxSeconds` runs out or the caller cancels) and compare it with `$expect`.
// Free of `vscode`: the CLI and the Testing view both run tests through here, each passing in how
// it gets a provider and which connections exist.
import * as l10n from '@vscode/l10n';
import { describeError, isWorkflowRunsError } from '../client/errors';
import { isPayloadError, lineColumnAt, parsePayload } from '../payload/parse';
import { checkPayload, type PayloadPipelineContext } from '../payload/pipeline';
import { isTerminal, type RunRef, type RunSnapshot } from '../providers/model';
import type { FileInputs } from '../providers/localFiles';
import type { TriggeredRun, WorkflowProvider } from '../providers/provider';
import { isFollowable } from '../providers/status';
import type { RunTarget } from '../runs/record';
import { delay } from '../util/delay';
import { checkExpectations, type Mismatch } from './check';
import type { Expect } from './expect';
import { readExpect, type ExpectLocation } from './locate';

/** What reading a payload file needs: the connections `$workflow` may name (and their platforms). */
export type PayloadTestContext = PayloadPipelineContext;

/** A payload file ready to run. */
export interface PreparedTest {
  target: RunTarget;
  inputs: Record<string, unknown>;
  options: Record<string, unknown>;
  /** The `$file` inputs, resolved against the payload file's folder (the context's `files`). */
  files?: FileInputs;
  /** Undefined when the file has no `$expect` (allowed only when the caller did not require one). */
  expect?: Expect;
  /** Where `$expect` and each expectation are written, for placing results on their lines. */
  location?: ExpectLocation;
}

/** Why a payload file cannot run; nothing was sent. Line and column are 1-based. */
export interface PreparationProblem {
  message: string;
  line: number;
  column: number;
}

export type PrepareResult = { ok: true; test: PreparedTest } | { ok: false; problem: PreparationProblem } | { ok: false; noExpect: true };

/**
 * Reads a payload file's text as a test. `requireExpect`: a file without `$expect` is not a test
 * (`noExpect`), which callers skip rather than count.
 */
export function preparePayloadTest(text: string, context: PayloadTestContext, options: { requireExpect: boolean; remembered?: RunTarget }): PrepareResult {
  // A syntax error first: `$expect` cannot be read reliably from a document that does not parse.
  const parsed = parsePayload(text);
  if (isPayloadError(parsed)) return { ok: false, problem: { message: parsed.message, line: parsed.line, column: parsed.column } };

  let expect: Expect | undefined;
  let location: ExpectLocation | undefined;
  const read = readExpect(text);
  if (read.present) {
    const first = read.problems[0];
    if (first) {
      return { ok: false, problem: { message: first.message, line: first.range.start.line + 1, column: first.range.start.character + 1 } };
    }
    if (read.result.ok) expect = read.result.expect;
    location = read.location;
  } else if (options.requireExpect) {
    return { ok: false, noExpect: true };
  }

  // The same reading as the editor's run command and Problems panel: $workflow, then $options.
  // The editor passes the target it remembers for a file without `$workflow`; the CLI has none.
  const check = checkPayload(text, context, { remembered: options.remembered });
  if (!check.ok) return { ok: false, problem: { message: check.error.message, line: check.error.line, column: check.error.column } };
  if (!check.target) {
    const { line, column } = lineColumnAt(text, check.parsed.positions.root.offset);
    return { ok: false, problem: { message: l10n.t('the file has no {0}: write {1} so it can run without an editor', '$workflow', '"$workflow": "<connection>/<workflow id>"'), line, column } };
  }
  return { ok: true, test: { target: check.target, inputs: check.parsed.inputs, options: check.options, files: check.files, expect, location } };
}

export interface RunTestDependencies {
  /** The provider of a connection (the CLI's pool, or the extension's). */
  provider(connectionName: string): Promise<WorkflowProvider>;
  /**
   * Starts the run instead of `provider.trigger`: the editor sends it through its run service, so
   * the run is recorded in history and shown like any other. Aborting `signal` cancels the sending.
   */
  trigger?(test: PreparedTest, signal: AbortSignal): Promise<TriggeredRun>;
  now?(): number;
  /** Pause after a watch stream ended early or failed; doubled per consecutive failure. Default 1 s. */
  retryDelayMs?: number;
  /** Consecutive failures while following before the test fails with the last one. Default 6. */
  maxFailures?: number;
  /** How long a stop (maxSeconds passed, or cancelled) may take before it is given up. Default 15 s. */
  stopTimeoutMs?: number;
}

export interface RunTestOptions {
  /** Cancels the test; a run already started is stopped on the platform. */
  signal?: AbortSignal;
  /** Every snapshot as the run moves (the first one carries the run id). */
  onSnapshot?(snapshot: RunSnapshot): void;
}

export type TestVerdict =
  /** The run ended and every expectation held. */
  | 'passed'
  /** The run ended (or ran out of time) and some expectation did not hold. */
  | 'failed'
  /** The test could not get a result: the trigger or following the run failed. */
  | 'error'
  /** The caller cancelled; a run that was started has been asked to stop. */
  | 'cancelled';

export interface PayloadTestOutcome {
  verdict: TestVerdict;
  mismatches: Mismatch[];
  /** Why the verdict is `error` or `cancelled`, in plain words. */
  error?: string;
  /** The run as last seen, when one was started. */
  snapshot?: RunSnapshot;
  /** Wall-clock milliseconds from sending the payload to the end of the test. */
  elapsedMs: number;
}

/** Why following stopped before the run ended. */
class FollowInterrupted extends Error {
  constructor(readonly reason: 'deadline' | 'cancelled') {
    super(reason);
  }
}

/**
 * Triggers a prepared test's run, follows it to its end and checks it. Never throws: every
 * problem becomes the outcome's verdict and message.
 */
export async function runPayloadTest(test: PreparedTest, dependencies: RunTestDependencies, options: RunTestOptions = {}): Promise<PayloadTestOutcome> {
  const now = dependencies.now ?? Date.now;
  const started = now();
  const elapsed = () => Math.max(0, now() - started);
  const outerSignal = options.signal;
  if (outerSignal?.aborted) return { verdict: 'cancelled', mismatches: [], error: l10n.t('cancelled before the run was started'), elapsedMs: 0 };

  // One controller for the trigger and the follow: cancelled by the caller or by maxSeconds.
  const lifetime = new AbortController();
  let interruption: FollowInterrupted | undefined;
  const interrupt = (reason: 'deadline' | 'cancelled') => {
    interruption ??= new FollowInterrupted(reason);
    lifetime.abort(interruption);
  };
  const onCancel = () => interrupt('cancelled');
  outerSignal?.addEventListener('abort', onCancel, { once: true });
  const maxMs = test.expect?.maxSeconds !== undefined ? test.expect.maxSeconds * 1000 : undefined;
  const deadline = maxMs !== undefined ? setTimeout(() => interrupt('deadline'), maxMs) : undefined;

  let provider: WorkflowProvider | undefined;
  let latest: RunSnapshot | undefined;
  try {
    provider = await dependencies.provider(test.target.connection);
    const triggered = dependencies.trigger
      ? await dependencies.trigger(test, lifetime.signal)
      : await provider.trigger({ workflowId: test.target.workflowId, inputs: test.inputs, options: test.options, files: test.files, signal: lifetime.signal });
    latest = triggered.snapshot;
    options.onSnapshot?.(latest);
    if (!isTerminal(latest.status) && !isFollowable(latest)) {
      return { verdict: 'error', mismatches: [], error: l10n.t('run {0} cannot be followed: {1}', latest.runId, latest.untracked ?? ''), snapshot: latest, elapsedMs: elapsed() };
    }
    latest = await followRun(provider, triggered, lifetime.signal, dependencies, (snapshot) => {
      latest = snapshot;
      options.onSnapshot?.(snapshot);
    });
    const elapsedMs = elapsed();
    const mismatches = test.expect ? checkExpectations(test.expect, { ...latest, elapsedMs }) : [];
    return { verdict: mismatches.length === 0 ? 'passed' : 'failed', mismatches, snapshot: latest, elapsedMs };
  } catch (error) {
    const elapsedMs = elapsed();
    if (interruption?.reason === 'deadline' && latest && isTerminal(latest.status)) {
      // The run ended as the time ran out: its own duration decides.
      const mismatches = test.expect ? checkExpectations(test.expect, { ...latest, elapsedMs }) : [];
      return { verdict: mismatches.length === 0 ? 'passed' : 'failed', mismatches, snapshot: latest, elapsedMs };
    }
    if (interruption && provider && latest && !isTerminal(latest.status)) {
      // A run stopping already (the run service stops a run cancelled while it started) is not stopped twice.
      const stopProblem = latest.status === 'stopping' ? undefined : await stopQuietly(provider, latest, dependencies.stopTimeoutMs ?? 15_000);
      const stopped = stopProblem ? l10n.t('; it could not be stopped: {0}', stopProblem) : l10n.t('; it was stopped');
      if (interruption.reason === 'deadline' && maxMs !== undefined) {
        const seconds = Number((elapsedMs / 1000).toFixed(1));
        const message = l10n.t({
          message: 'maxSeconds: expected at most {0} s, still {1} after {2} s{3}',
          args: [test.expect!.maxSeconds, latest.status, seconds, stopped],
          comment: ['{1} is a run status as $expect writes it (running, queued…); {3} is "; it was stopped" or "; it could not be stopped: <why>". Keep "maxSeconds".'],
        });
        return { verdict: 'failed', mismatches: [{ expectation: 'maxSeconds', expected: test.expect!.maxSeconds, actual: seconds, message }], snapshot: latest, elapsedMs };
      }
      return { verdict: 'cancelled', mismatches: [], error: l10n.t({
          message: 'cancelled while run {0} was {1}{2}',
          args: [latest.runId, latest.status, stopped],
          comment: ['{1} is a run status as $expect writes it (running, queued…); {2} is "; it was stopped" or "; it could not be stopped: <why>".'],
        }), snapshot: latest, elapsedMs };
    }
    if (interruption?.reason === 'cancelled') return { verdict: 'cancelled', mismatches: [], error: l10n.t('cancelled before the run was started'), snapshot: latest, elapsedMs };
    if (interruption?.reason === 'deadline' && maxMs !== undefined) {
      const message = l10n.t('maxSeconds: expected at most {0} s, but the run was not even started by then', test.expect!.maxSeconds!);
      return { verdict: 'failed', mismatches: [{ expectation: 'maxSeconds', expected: test.expect!.maxSeconds, actual: undefined, message }], snapshot: latest, elapsedMs };
    }
    return { verdict: 'error', mismatches: [], error: describeError(error), snapshot: latest, elapsedMs };
  } finally {
    clearTimeout(deadline);
    outerSignal?.removeEventListener('abort', onCancel);
  }
}

/**
 * Follows a run until the platform reports a terminal status: the trigger's own stream when it
 * opened one, else `provider.watch`. A stream that ends early is checked with `getRun` and opened
 * again; passing failures are retried with backoff, a configuration error is not.
 */
async function followRun(
  provider: WorkflowProvider,
  triggered: TriggeredRun,
  signal: AbortSignal,
  dependencies: RunTestDependencies,
  onSnapshot: (snapshot: RunSnapshot) => void,
): Promise<RunSnapshot> {
  let latest = triggered.snapshot;
  if (isTerminal(latest.status)) return latest;
  const baseDelayMs = dependencies.retryDelayMs ?? 1000;
  const maxFailures = dependencies.maxFailures ?? 6;
  let source = triggered.updates;
  let failures = 0;
  const see = (snapshot: RunSnapshot) => {
    latest = mergeSnapshot(latest, snapshot);
    onSnapshot(latest);
  };
  for (;;) {
    signal.throwIfAborted();
    try {
      const iterable = source ?? provider.watch(refOf(latest), signal);
      source = undefined;
      for await (const snapshot of iterable) {
        see(snapshot);
        failures = 0;
        if (isTerminal(latest.status)) return latest;
      }
      signal.throwIfAborted();
      // The stream ended without a final state: ask where the run stands.
      see(await provider.getRun(refOf(latest), signal));
      if (isTerminal(latest.status)) return latest;
      await delay(baseDelayMs, signal);
    } catch (error) {
      signal.throwIfAborted();
      failures += 1;
      if (failures >= maxFailures || (isWorkflowRunsError(error) && (error.kind === 'config' || error.kind === 'auth'))) throw error;
      await delay(Math.min(30_000, baseDelayMs * 2 ** (failures - 1)), signal);
    }
  }
}

/**
 * A later snapshot's fields win; an empty timeline (a poll that does not fetch tasks) keeps the
 * one seen before, and handles are merged, as the run store does.
 */
function mergeSnapshot(previous: RunSnapshot, next: RunSnapshot): RunSnapshot {
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(next)) if (value !== undefined) merged[key] = value;
  if ((next.timeline?.length ?? 0) === 0 && previous.timeline?.length) merged.timeline = previous.timeline;
  if (previous.handle || next.handle) merged.handle = { ...previous.handle, ...next.handle };
  return merged as RunSnapshot;
}

function refOf(snapshot: RunSnapshot): RunRef {
  return { runId: snapshot.runId, workflowId: snapshot.workflowId, handle: snapshot.handle };
}

/** Asks the platform to stop a run; returns why that failed, or undefined. Bounded in time. */
async function stopQuietly(provider: WorkflowProvider, snapshot: RunSnapshot, timeoutMs: number): Promise<string | undefined> {
  try {
    await provider.stop(refOf(snapshot), AbortSignal.timeout(timeoutMs));
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}
