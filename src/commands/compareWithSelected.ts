import * as vscode from 'vscode';
import { keyOf } from '../runs/record';
import type { Services } from '../services';
import { runFromArg } from './args';
import { openRunComparison, selectedRun } from './compareEditor';
import { pickRun } from './pick';

/** Compare with Selected: the run chosen with "Select for Compare" (left) against this one (right). */
export async function run(services: Services, arg?: unknown): Promise<void> {
  const selected = selectedRun(services);
  if (!selected) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select a run for compare first ("Select for Compare" on a run).'));
    return;
  }
  const other =
    runFromArg(services, arg) ??
    (await pickRun(services, vscode.l10n.t('Compare {0} with which run?', selected.snapshot.runId), (record) => keyOf(record) !== keyOf(selected)));
  if (other) await openRunComparison(services, selected, other);
}
