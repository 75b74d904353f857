// Read-only JSON documents on the `workflow-run:` scheme. Compare Runs… opens VS Code's diff editor
// on two of them, one per run, served from the run store (the text is ../runs/compareDocument.ts);
// Open Workflow Definition shows a workflow as its platform describes it. Activation registers the
// scheme (extension.ts) and hands requests to this provider once the services exist, so a diff
// editor restored after a reload has text; it tells the editor when a compared run changes (a run
// still in flight keeps its side current).
import * as vscode from 'vscode';
import { compareDocument } from '../runs/compareDocument';
import { boundValue } from '../runs/bound';
import { keyOf, runKey, type RunRecord } from '../runs/record';
import type { Services } from '../services';
import { workflowDisplayName } from '../views/runPresentation';

export { runDocumentScheme } from '../host/runDocumentScheme';
import { runDocumentScheme } from '../host/runDocumentScheme';

/** A definition bigger than this is shown as a marker with its size, not as a multi-megabyte editor. */
const maxDefinitionBytes = 4 * 1024 * 1024;

/** `workflow-run:/definitions/<connection>/<workflow id>.json`: the workflow's definition. */
export function definitionDocumentUri(connection: string, workflowId: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: runDocumentScheme,
    path: `/definitions/${encodeURIComponent(connection)}/${encodeURIComponent(workflowId)}.json`,
  });
}

/** The workflow a definition URI names. */
export function definitionOfUri(uri: vscode.Uri): { connection: string; workflowId: string } | undefined {
  const match = /^\/definitions\/([^/]*)\/([^/]*)\.json$/.exec(uri.path);
  if (!match) return undefined;
  try {
    return { connection: decodeURIComponent(match[1]!), workflowId: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

/** `workflow-run:/<connection>/<run id>.json`: a path (not a query) so the tab shows a file name. */
export function runDocumentUri(record: RunRecord): vscode.Uri {
  return vscode.Uri.from({
    scheme: runDocumentScheme,
    path: `/${encodeURIComponent(record.connection)}/${encodeURIComponent(record.snapshot.runId)}.json`,
  });
}

/** The run a `workflow-run:` URI names, as `{connection, runId}`. */
export function runOfUri(uri: vscode.Uri): { connection: string; runId: string } | undefined {
  const match = /^\/([^/]*)\/([^/]*)\.json$/.exec(uri.path);
  if (!match) return undefined;
  try {
    return { connection: decodeURIComponent(match[1]!), runId: decodeURIComponent(match[2]!) };
  } catch {
    return undefined;
  }
}

class RunDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly storeListener: vscode.Disposable;

  constructor(private readonly services: Services) {
    this.storeListener = services.store.onDidChange((changes) => {
      const open = new Set(
        vscode.workspace.textDocuments.filter((document) => document.uri.scheme === runDocumentScheme).map((document) => document.uri.toString()),
      );
      if (open.size === 0) return;
      for (const { record } of changes) {
        const uri = runDocumentUri(record);
        if (open.has(uri.toString())) this.changed.fire(uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri, token?: vscode.CancellationToken): string | Promise<string> {
    const definition = definitionOfUri(uri);
    if (definition) return this.definitionText(definition.connection, definition.workflowId, token);
    const ref = runOfUri(uri);
    const record = ref && this.services.store.get(ref.connection, ref.runId);
    if (!record) return `${JSON.stringify({ error: vscode.l10n.t('This run is no longer in the run history.'), run: ref?.runId ?? uri.path }, null, 2)}\n`;
    return compareDocument(record);
  }

  private async definitionText(connection: string, workflowId: string, token?: vscode.CancellationToken): Promise<string> {
    const controller = new AbortController();
    const cancelled = token?.onCancellationRequested(() => controller.abort());
    try {
      const provider = await this.services.providers.get(connection);
      if (!provider.getDefinition) {
        return `${JSON.stringify({ error: vscode.l10n.t('This platform does not describe its workflows.'), workflow: workflowId }, null, 2)}\n`;
      }
      const definition = await provider.getDefinition(workflowId, controller.signal);
      return `${JSON.stringify(boundValue(definition, maxDefinitionBytes) ?? null, null, 2)}\n`;
    } finally {
      cancelled?.dispose();
    }
  }

  dispose(): void {
    this.storeListener.dispose();
    this.changed.dispose();
  }
}

const registered = new WeakMap<Services, RunDocumentProvider>();

/**
 * The provider behind `workflow-run:` documents (one per services; activation registers the scheme
 * and forwards to it, see extension.ts).
 */
export function registerRunDocuments(services: Services): vscode.TextDocumentContentProvider {
  const known = registered.get(services);
  if (known) return known;
  const provider = new RunDocumentProvider(services);
  registered.set(services, provider);
  services.context.subscriptions.push(provider);
  return provider;
}

function runTitle(record: RunRecord): string {
  return `${workflowDisplayName(record)} ${record.snapshot.runId}`;
}

/** Opens the diff editor: `left` is the original side, `right` the modified one. */
export async function openRunComparison(services: Services, left: RunRecord, right: RunRecord): Promise<void> {
  if (keyOf(left) === keyOf(right)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose two different runs to compare.'));
    return;
  }
  registerRunDocuments(services);
  const title = vscode.l10n.t({ message: '{0} ↔ {1}', args: [runTitle(left), runTitle(right)], comment: ['The title of an editor comparing two runs: {0} and {1} are the runs.'] });
  await vscode.commands.executeCommand('vscode.diff', runDocumentUri(left), runDocumentUri(right), title, { preview: false });
}

/** The run chosen with "Select for Compare", kept for "Compare with Selected" (and its context key). */
let selectedForCompare: { connection: string; runId: string } | undefined;
export const compareSelectionContextKey = 'workflowRuns.runSelectedForCompare';

export async function selectForCompare(record: RunRecord): Promise<void> {
  selectedForCompare = { connection: record.connection, runId: record.snapshot.runId };
  await vscode.commands.executeCommand('setContext', compareSelectionContextKey, true);
}

/** The selected run, if it is still in the history. */
export function selectedRun(services: Services): RunRecord | undefined {
  if (!selectedForCompare) return undefined;
  const record = services.store.get(selectedForCompare.connection, selectedForCompare.runId);
  if (!record) {
    selectedForCompare = undefined;
    void vscode.commands.executeCommand('setContext', compareSelectionContextKey, false);
  }
  return record;
}

/** Whether a run is the one selected (so a quick pick can leave it out). */
export function isSelectedForCompare(record: RunRecord): boolean {
  return selectedForCompare !== undefined && runKey(selectedForCompare.connection, selectedForCompare.runId) === keyOf(record);
}
