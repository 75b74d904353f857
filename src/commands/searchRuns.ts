import * as vscode from 'vscode';
import type { RunRecord } from '../runs/record';
import { GrowingRunSearchIndex, dataExcerpt, queryTerms, searchRuns, type RunSearchEntry } from '../runs/search';
import type { Services } from '../services';
import { formatRelativeTime } from '../util/format';
import { statusLook, workflowDisplayName } from '../views/runPresentation';
import { statusWord } from '../runs/wording';

interface RunItem extends vscode.QuickPickItem {
  record: RunRecord;
}

/** Rows shown at most: more is not readable, and the query narrows them. */
const maxRows = 200;

/** How often the rows follow the reading of runs (each render rebuilds up to maxRows rows). */
const refreshMs = 150;

/**
 * Search Runs…: every run in the history, filtered on each keystroke by ../runs/search.ts (id,
 * workflow, connection, status, inputs and outputs text). Our matcher decides what is shown
 * (`alwaysShow`), because the text of inputs and outputs is too long for the rows themselves; each
 * row's detail shows the part of the data around the match. Choosing a run opens its details.
 *
 * The picker opens at once on what the views list (id, workflow, connection, status); the runs'
 * inputs and outputs are read in slices behind it (busy meanwhile) without being kept, so years of
 * runs neither stall the window nor stay in memory after the search.
 */
export async function run(services: Services): Promise<RunRecord | undefined> {
  const records = services.store.summaries();
  if (records.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no run to search yet.'));
    return undefined;
  }
  const index = new GrowingRunSearchIndex(records);
  const quickPick = vscode.window.createQuickPick<RunItem>();
  quickPick.placeholder = vscode.l10n.t('Search {0} runs by id, workflow, connection, status, inputs or outputs', records.length);
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const render = () => {
    const terms = queryTerms(quickPick.value);
    quickPick.items = searchRuns(index.entries, quickPick.value, maxRows).map((entry) => runItem(entry, terms));
  };
  render();
  const changed = quickPick.onDidChangeValue(render);
  quickPick.busy = true;
  quickPick.show();
  let open = true;
  const reading = readInFull(services, index, () => open, render).finally(() => {
    if (!open) return;
    quickPick.busy = false;
    render();
  });
  const chosen = await new Promise<RunRecord | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.record));
    quickPick.onDidHide(() => resolve(undefined));
  });
  open = false;
  await reading;
  changed.dispose();
  quickPick.dispose();
  if (chosen) await vscode.commands.executeCommand('workflowRuns.showRunDetails', { connection: chosen.connection, runId: chosen.snapshot.runId });
  return chosen;
}

/** Reads every run in full into the index, slice by slice, while `wanted()`; renders now and then. */
async function readInFull(services: Services, index: GrowingRunSearchIndex, wanted: () => boolean, render: () => void): Promise<void> {
  const started = Date.now();
  let lastRender = started;
  let read = 0;
  try {
    for await (const slice of services.store.allInSlices()) {
      if (!wanted()) return;
      index.fill(slice);
      read += slice.length;
      if (Date.now() - lastRender >= refreshMs) {
        lastRender = Date.now();
        render();
      }
    }
    services.log.debug(`Search Runs: inputs and outputs of ${read} runs read in ${Date.now() - started} ms`);
  } catch (error) {
    // The search still works on what was read (and on ids, workflows and statuses).
    services.log.warn(`Search Runs: reading the runs' inputs and outputs stopped after ${read}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function runItem(entry: RunSearchEntry, terms: readonly string[]): RunItem {
  const { record } = entry;
  const when = formatRelativeTime(record.snapshot.finishedAt ?? record.triggeredAt);
  return {
    label: `$(${statusLook(record.snapshot.status).icon}) ${workflowDisplayName(record)}`,
    description: `${record.snapshot.runId} · ${statusWord(record.snapshot.status, vscode.l10n)} · ${record.connection} · ${when}`,
    detail: dataExcerpt(entry, terms) || undefined,
    // What is shown is what our matcher found, even where VS Code's own filter sees no match.
    alwaysShow: true,
    record,
  };
}
