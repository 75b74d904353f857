import * as vscode from 'vscode';
import { keyOf } from '../runs/record';
import type { Services } from '../services';
import { runFromArg } from './args';
import { openRunComparison } from './compareEditor';
import { pickRun } from './pick';

/**
 * Compare Runs…: two runs in the diff editor. From the palette, two quick picks (the second
 * without the first); programmatically, two run arguments; from a tree with two rows selected,
 * VS Code passes the clicked row and the selection.
 */
export async function run(services: Services, first?: unknown, second?: unknown): Promise<void> {
  const selection = Array.isArray(second) ? second.map((item) => runFromArg(services, item)).filter((record) => record !== undefined) : [];
  if (selection.length === 2) {
    await openRunComparison(services, selection[0]!, selection[1]!);
    return;
  }
  const left = runFromArg(services, first) ?? (first === undefined ? await pickRun(services, vscode.l10n.t('Compare Runs: choose the first run')) : undefined);
  if (!left) {
    if (first !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('Compare Runs takes runs that are in the run history; nothing was compared.'));
    return;
  }
  const right =
    (Array.isArray(second) ? undefined : runFromArg(services, second)) ??
    (await pickRun(services, vscode.l10n.t('Compare {0} with which run?', left.snapshot.runId), (record) => keyOf(record) !== keyOf(left)));
  if (right) await openRunComparison(services, left, right);
}
