// Starting, stopping, re-running and opening runs. Every run that starts is in the store (and so in
// history) before anything else happens, then watched to its end. What the user sees meanwhile
// (progress, the details panel) is the caller's, passed in as RunStartHooks.
import * as vscode from 'vscode';
import { WorkflowRunsError, describeError } from '../client/errors';
import type { RunSnapshot } from '../providers/model';
import type { TriggeredRun } from '../providers/provider';
import { optionsError, validateOptions } from '../providers/options';
import type { ConnectionService, ProviderService, RunService, RunStartHooks, RunTarget } from '../services';
import { keyOf, resendRequestOf, runKey, type RunRecord, type RunRequest } from './record';
import { PendingRun } from './pendingRun';
import type { RunStore } from './store';
import type { RunWatchers } from './watcher';
import { targetLabel } from './wording';
import { refuseTruncatedResend } from './truncatedInputs';
import { noSuchConnection } from '../connections/errors';

export class RunController implements RunService {
  /** Workflow names by connection and id: runs started from a payload file know only the id. */
  private readonly names = new Map<string, Promise<string | undefined>>();
  /** Runs whose Re-run (or Retry, or a task's re-run) is being started: a double click starts one. */
  private readonly rerunning = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly connections: ConnectionService,
    private readonly providers: ProviderService,
    private readonly watchers: RunWatchers,
  ) {}

  async trigger(target: RunTarget, request: RunRequest, hooks: RunStartHooks = {}): Promise<RunRecord | undefined> {
    const connection = this.connections.get(target.connection);
    if (!connection) throw noSuchConnection(target.connection);
    const platform = this.connections.platformOf(connection);
    // The boundary every run passes (payload files, re-runs, the palette): one check, one wording.
    const options = platform ? validateOptions(request.options, platform.optionsSchema) : undefined;
    if (options && !options.ok) throw optionsError(options, connection.name);
    const provider = await this.providers.get(connection.name);
    const workflowLabel = targetLabel(target);
    // The watcher owns this controller after the trigger: cancelling during the trigger or
    // deactivating later both abort the same requests.
    const lifetime = new AbortController();
    const pending = new PendingRun(this.store, connection.name, connection.platform, request, target.workflowName);
    const send = () =>
      provider.trigger({
        workflowId: target.workflowId,
        inputs: request.inputs,
        files: request.files,
        options: options?.ok ? (options.options as Record<string, unknown>) : request.options,
        signal: lifetime.signal,
        onSent: pending.onSent,
      });
    let triggered: TriggeredRun;
    try {
      triggered = hooks.whileSending
        ? await hooks.whileSending({ workflowLabel, connection: connection.name, workflowId: target.workflowId }, () => lifetime.abort(), send)
        : await send();
    } catch (error) {
      pending.failed(error);
      throw error;
    }
    pending.answered();
    // Cancelled once the platform had the run (TriggerRequest.signal): shown stopping at once,
    // stopped, and followed until the platform says so, instead of running on unseen.
    const cancelled = lifetime.signal.aborted;
    const record = this.store.upsert(connection.name, connection.platform, cancelled ? { ...triggered.snapshot, status: 'stopping' } : triggered.snapshot, {
      request,
      workflowName: target.workflowName ?? triggered.snapshot.workflowName,
      // Said once, where the user looks: the views and the panel show a run's watch note.
      watchError: triggered.snapshot.untracked,
    });
    hooks.recorded?.(record);
    if (cancelled) {
      this.watchers.watch(record, undefined, new AbortController());
      void this.stop(record).catch((error: unknown) => {
        const current = this.store.get(connection.name, record.snapshot.runId);
        if (current) this.store.upsert(connection.name, connection.platform, current.snapshot, { watchError: vscode.l10n.t('Cancelled while it was being started, but it could not be stopped: {0}', describeError(error)) });
      });
    } else {
      this.watchers.watch(record, triggered.updates, lifetime);
    }
    void this.fillWorkflowName(record);
    return record;
  }

  async rerun(record: RunRecord, hooks: RunStartHooks = {}): Promise<RunRecord | undefined> {
    // A double click on Re-run (panel or tree) must not start two runs.
    return this.once(`${keyOf(record)}#rerun`, () => this.rerunOnce(record, hooks));
  }

  async retry(record: RunRecord, hooks: RunStartHooks = {}): Promise<RunRecord | undefined> {
    return this.once(`${keyOf(record)}#retry`, async () => {
      const provider = await this.providers.get(record.connection);
      if (!provider.retryRun) throw this.cannot(record, vscode.l10n.t('Runs on this platform cannot be retried; use Re-run instead.'));
      const ref = { runId: record.snapshot.runId, workflowId: record.snapshot.workflowId, handle: record.snapshot.handle };
      const lifetime = new AbortController();
      const send = () => provider.retryRun!(ref, lifetime.signal);
      const what = { workflowLabel: targetLabel({ workflowId: record.snapshot.workflowId, workflowName: record.workflowName }), connection: record.connection, workflowId: record.snapshot.workflowId };
      const triggered = hooks.whileSending ? await hooks.whileSending(what, () => lifetime.abort(), send) : await send();
      // The new run has the failed run's inputs: keep them, so it can be re-run or compared too.
      const retried = this.store.upsert(record.connection, record.platform, { ...triggered.snapshot, inputs: triggered.snapshot.inputs ?? record.snapshot.inputs }, {
        request: record.request,
        workflowName: record.workflowName,
        watchError: triggered.snapshot.untracked,
      });
      hooks.recorded?.(retried);
      this.watchers.watch(retried, triggered.updates, lifetime);
      return retried;
    });
  }

  async rerunTask(record: RunRecord, taskId: string, hooks: RunStartHooks = {}): Promise<RunRecord | undefined> {
    return this.once(`${keyOf(record)}#task`, async () => {
      const provider = await this.providers.get(record.connection);
      if (!provider.rerunTask) throw this.cannot(record, vscode.l10n.t('Tasks of runs on this platform cannot be re-run one by one; use Re-run instead.'));
      const current = this.store.get(record.connection, record.snapshot.runId) ?? record;
      const ref = { runId: current.snapshot.runId, workflowId: current.snapshot.workflowId, handle: current.snapshot.handle };
      const lifetime = new AbortController();
      const send = () => provider.rerunTask!(ref, taskId, lifetime.signal);
      const what = { workflowLabel: targetLabel({ workflowId: current.snapshot.workflowId, workflowName: current.workflowName }), connection: current.connection, workflowId: current.snapshot.workflowId };
      if (hooks.whileSending) await hooks.whileSending(what, () => lifetime.abort(), send);
      else await send();
      // The platform works on the run again: it is in flight until the watcher sees it end again.
      const reopened = this.store.reopen(current.connection, current.snapshot.runId) ?? current;
      hooks.recorded?.(reopened);
      this.watchers.watch(reopened, undefined, lifetime);
      return reopened;
    });
  }

  /** Runs `start` unless the same start is already under way (then resolves to undefined). */
  private async once(key: string, start: () => Promise<RunRecord | undefined>): Promise<RunRecord | undefined> {
    if (this.rerunning.has(key)) return undefined;
    this.rerunning.add(key);
    try {
      return await start();
    } finally {
      this.rerunning.delete(key);
    }
  }

  private cannot(record: RunRecord, message: string): WorkflowRunsError {
    return new WorkflowRunsError(message, { kind: 'config', connection: record.connection });
  }

  private async rerunOnce(record: RunRecord, hooks: RunStartHooks): Promise<RunRecord | undefined> {
    const request = resendRequestOf(record);
    if (!request) {
      throw new WorkflowRunsError(
        vscode.l10n.t('Run {0} was opened by id and its inputs are unknown, so it cannot be re-run. Run the workflow with a payload instead.', record.snapshot.runId),
        { kind: 'config', connection: record.connection },
      );
    }
    // Inputs the history kept only in part are never sent as if whole (./truncatedInputs.ts).
    refuseTruncatedResend(record, request);
    return this.trigger(
      { connection: record.connection, workflowId: record.snapshot.workflowId, workflowName: record.workflowName },
      { ...request, payloadUri: record.request?.payloadUri },
      hooks,
    );
  }

  async stop(record: RunRecord): Promise<void> {
    const provider = await this.providers.get(record.connection);
    const current = this.store.get(record.connection, record.snapshot.runId) ?? record;
    await provider.stop({ runId: current.snapshot.runId, workflowId: current.snapshot.workflowId, handle: current.snapshot.handle });
    if (current.snapshot.status !== 'stopped') {
      this.store.upsert(record.connection, record.platform, { ...current.snapshot, status: 'stopping' });
    }
    await this.refresh(this.store.get(record.connection, record.snapshot.runId) ?? current).catch(() => undefined);
  }

  async open(connectionName: string, runId: string, workflowId?: string): Promise<RunRecord> {
    const connection = this.connections.get(connectionName);
    if (!connection) throw noSuchConnection(connectionName);
    const provider = await this.providers.get(connectionName);
    const known = this.store.get(connectionName, runId);
    const singleWorkflow = this.connections.platformOf(connection)?.singleWorkflow?.(connection);
    const snapshot = await provider.getRun({
      runId,
      workflowId: workflowId ?? known?.snapshot.workflowId ?? singleWorkflow ?? '',
      handle: known?.snapshot.handle,
    });
    const record = this.store.upsert(connectionName, connection.platform, snapshot);
    this.watchers.watch(record);
    void this.fillWorkflowName(record);
    return record;
  }

  async importRecent(connectionName: string, workflowId: string, signal?: AbortSignal): Promise<number> {
    const connection = this.connections.get(connectionName);
    const provider = await this.providers.get(connectionName);
    if (!connection || !provider.listRuns) return 0;
    const page = await provider.listRuns(workflowId, undefined, signal);
    return this.importSnapshots(connectionName, workflowId, page.items);
  }

  async importRunsPage(connectionName: string, workflowId: string, cursor: string | undefined, signal?: AbortSignal): Promise<{ added: number; next?: string }> {
    const provider = await this.providers.get(connectionName);
    if (!provider.listRuns) return { added: 0 };
    const page = await provider.listRuns(workflowId, cursor, signal);
    const added = this.importSnapshots(connectionName, workflowId, page.items);
    return page.next ? { added, next: page.next } : { added };
  }

  importSnapshots(connectionName: string, workflowId: string, snapshots: readonly RunSnapshot[]): number {
    const connection = this.connections.get(connectionName);
    if (!connection) return 0;
    let added = 0;
    for (const snapshot of snapshots) {
      // What the extension already follows is fresher than a list entry.
      if (this.store.get(connectionName, snapshot.runId)) continue;
      // Marked as listed: a run started elsewhere ends without a notification (runs/runEnd.ts).
      const record = this.store.upsert(connectionName, connection.platform, { ...snapshot, workflowId: snapshot.workflowId || workflowId, fromRunList: true });
      this.watchers.watch(record);
      added += 1;
    }
    return added;
  }

  /** Names the run's workflow in views and panels when the run was started or opened by id only. */
  async fillWorkflowName(record: RunRecord): Promise<void> {
    if (record.workflowName || !record.snapshot.workflowId) return;
    const key = runKey(record.connection, record.snapshot.workflowId);
    let name = this.names.get(key);
    if (!name) {
      name = this.providers
        .get(record.connection)
        .then((provider) => provider.getWorkflow(record.snapshot.workflowId))
        .then((workflow) => workflow.name, () => undefined);
      this.names.set(key, name);
    }
    const workflowName = await name;
    if (!workflowName) {
      this.names.delete(key);
      return;
    }
    const current = this.store.get(record.connection, record.snapshot.runId);
    if (current && !current.workflowName) this.store.upsert(current.connection, current.platform, current.snapshot, { workflowName });
  }

  async refresh(record: RunRecord): Promise<void> {
    const provider = await this.providers.get(record.connection);
    const snapshot = await provider.getRun({ runId: record.snapshot.runId, workflowId: record.snapshot.workflowId, handle: record.snapshot.handle });
    const updated = this.store.upsert(record.connection, record.platform, snapshot, { watchError: null });
    this.watchers.watch(updated);
  }
}
