import * as vscode from 'vscode';
import type { RunRecord } from '../runs/record';
import { buildRunSearchIndex, dataExcerpt, queryTerms, searchRuns, type RunSearchEntry } from '../runs/search';
import type { Services } from '../services';
import { formatRelativeTime } from '../util/format';
import { statusLook, workflowDisplayName } from '../views/runPresentation';
import { statusWord } from '../runs/wording';

interface RunItem extends vscode.QuickPickItem {
  record: RunRecord;
}

/** Rows shown at most: more is not readable, and the query narrows them. */
const maxRows = 200;

/**
 * Search Runs…: every run in the history, filtered on each keystroke by ../runs/search.ts (id,
 * workflow, connection, status, inputs and outputs text). Our matcher decides what is shown
 * (`alwaysShow`), because the text of inputs and outputs is too long for the rows themselves; each
 * row's detail shows the part of the data around the match. Choosing a run opens its details.
 */
export async function run(services: Services): Promise<RunRecord | undefined> {
  const records = services.store.all();
  if (records.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no run to search yet.'));
    return undefined;
  }
  const index = buildRunSearchIndex(records);
  const quickPick = vscode.window.createQuickPick<RunItem>();
  quickPick.placeholder = vscode.l10n.t('Search {0} runs by id, workflow, connection, status, inputs or outputs', records.length);
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  const render = () => {
    const terms = queryTerms(quickPick.value);
    quickPick.items = searchRuns(index, quickPick.value, maxRows).map((entry) => runItem(entry, terms));
  };
  render();
  const changed = quickPick.onDidChangeValue(render);
  quickPick.show();
  const chosen = await new Promise<RunRecord | undefined>((resolve) => {
    quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.record));
    quickPick.onDidHide(() => resolve(undefined));
  });
  changed.dispose();
  quickPick.dispose();
  if (chosen) await vscode.commands.executeCommand('workflowRuns.showRunDetails', { connection: chosen.connection, runId: chosen.snapshot.runId });
  return chosen;
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
