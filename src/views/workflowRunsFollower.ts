// Keeps the runs of the workflows a user has expanded in the Workflows view current, including runs
// started elsewhere (the platform's console, a schedule, a colleague): only while the view is
// visible, and, where that means polling (Dify's logs), only while the window is focused too — so a
// hidden view or a window in the background sends no request at all. No vscode import: the tree
// feeds it visibility, focus and expansion, and tests feed it fakes.
import { describeError } from '../client/errors';
import type { RunSnapshot } from '../providers/model';
import type { WorkflowProvider } from '../providers/provider';
import { followWorkflowRuns, workflowRunsMode } from '../providers/workflowRuns';
import { runKey } from '../runs/record';
import { delay } from '../util/delay';
import type { Logger } from '../util/logger';

export interface WorkflowRunsFollowerServices {
  providers: { get(connection: string): Promise<WorkflowProvider> };
  runs: { importSnapshots(connection: string, workflowId: string, snapshots: readonly RunSnapshot[]): number };
  log?: Pick<Logger, 'warn'>;
}

export interface WorkflowRunsFollowerOptions {
  /** Between two reads of a run list that is polled. Default 10 s. */
  pollIntervalMs?: number;
  /** First pause after a failure; doubled per failure in a row, up to 2 minutes. Default 5 s. */
  retryDelayMs?: number;
}

interface Followed {
  connection: string;
  workflowId: string;
  /** Known once the provider is loaded. */
  mode?: 'push' | 'poll';
  /** Set while requests are allowed to flow. */
  active?: AbortController;
}

export class WorkflowRunsFollower {
  private readonly followed = new Map<string, Followed>();
  private visible = false;
  private focused = true;
  private disposed = false;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;

  constructor(
    private readonly services: WorkflowRunsFollowerServices,
    options: WorkflowRunsFollowerOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 5_000;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.update();
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    this.update();
  }

  /** A workflow row was expanded: its runs are followed from now on (while allowed). */
  expand(connection: string, workflowId: string): void {
    const key = runKey(connection, workflowId);
    if (this.disposed || this.followed.has(key)) return;
    const entry: Followed = { connection, workflowId };
    this.followed.set(key, entry);
    void this.services.providers.get(connection).then(
      (provider) => {
        if (this.followed.get(key) !== entry) return;
        entry.mode = workflowRunsMode(provider);
        if (!entry.mode) this.followed.delete(key);
        this.update();
      },
      () => this.followed.delete(key),
    );
  }

  collapse(connection: string, workflowId: string): void {
    const key = runKey(connection, workflowId);
    this.followed.get(key)?.active?.abort();
    this.followed.delete(key);
  }

  /** Forgets a connection's workflows (refreshed, changed or removed). */
  forgetConnection(connection: string): void {
    for (const entry of [...this.followed.values()]) if (entry.connection === connection) this.collapse(entry.connection, entry.workflowId);
  }

  /** How many workflows are being followed right now (requests may flow). */
  get activeCount(): number {
    return [...this.followed.values()].filter((entry) => entry.active).length;
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.followed.values()) entry.active?.abort();
    this.followed.clear();
  }

  private allowed(entry: Followed): boolean {
    if (!this.visible || !entry.mode) return false;
    // A push stream costs one idle connection; polling costs requests, so it waits for the user.
    return entry.mode === 'push' || this.focused;
  }

  private update(): void {
    for (const entry of this.followed.values()) {
      const allowed = !this.disposed && this.allowed(entry);
      if (allowed && !entry.active) {
        entry.active = new AbortController();
        void this.run(entry, entry.active);
      } else if (!allowed && entry.active) {
        entry.active.abort();
        entry.active = undefined;
      }
    }
  }

  /** Follows one workflow until `lifetime` aborts, starting over after a failure (with backoff). */
  private async run(entry: Followed, lifetime: AbortController): Promise<void> {
    let failures = 0;
    while (!lifetime.signal.aborted) {
      try {
        const provider = await this.services.providers.get(entry.connection);
        for await (const snapshots of followWorkflowRuns(provider, entry.workflowId, lifetime.signal, this.pollIntervalMs)) {
          if (lifetime.signal.aborted) break;
          failures = 0;
          this.services.runs.importSnapshots(entry.connection, entry.workflowId, snapshots);
        }
        // A push stream that ended by itself is opened again after a pause, like a failed one.
        if (lifetime.signal.aborted) return;
      } catch (error) {
        if (lifetime.signal.aborted) return;
        failures += 1;
        this.services.log?.warn(`Runs of ${entry.connection}/${entry.workflowId} could not be followed: ${describeError(error)}`);
      }
      try {
        await delay(Math.min(120_000, this.retryDelayMs * 2 ** Math.max(0, failures - 1)), lifetime.signal);
      } catch {
        return;
      }
    }
  }
}
