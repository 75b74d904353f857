// Quick picks for commands run from the palette: which connection, which workflow, which run.
import * as vscode from 'vscode';
import { describeError } from '../client/errors';
import { isInFlight, type RunRecord } from '../runs/record';
import type { RunTarget, Services } from '../services';
import { formatRelativeTime } from '../util/format';
import { statusWord, workflowLabel } from '../runs/wording';

export async function pickConnection(services: Services, placeHolder: string): Promise<string | undefined> {
  const connections = services.connections.list();
  if (connections.length === 0) {
    const add = vscode.l10n.t('Add Connection…');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No workflow platform is connected yet.'), add);
    if (choice === add) await vscode.commands.executeCommand('workflowRuns.addConnection');
    return undefined;
  }
  if (connections.length === 1) return connections[0].name;
  const picked = await vscode.window.showQuickPick(
    connections.map((connection) => {
      const platform = services.connections.platformOf(connection);
      return {
        label: connection.name,
        description: platform?.label ?? connection.platform,
        detail: connection.baseUrl,
        iconPath: new vscode.ThemeIcon(platform?.icon ?? 'plug'),
      };
    }),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.label;
}

interface WorkflowItem extends vscode.QuickPickItem {
  target?: RunTarget;
}

/**
 * Every workflow of every connection, loaded in parallel into one quick pick that is usable at
 * once: a slow or failing connection shows as one line and does not hold up the others.
 */
export async function pickWorkflow(services: Services, placeHolder: string): Promise<RunTarget | undefined> {
  const connections = services.connections.list();
  if (connections.length === 0) {
    await pickConnection(services, placeHolder);
    return undefined;
  }
  const quickPick = vscode.window.createQuickPick<WorkflowItem>();
  quickPick.placeholder = placeHolder;
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.busy = true;
  const sections = new Map<string, WorkflowItem[]>();
  const abort = new AbortController();
  quickPick.keepScrollPosition = true;
  const render = () => {
    const items: WorkflowItem[] = [];
    for (const connection of connections) {
      const section = sections.get(connection.name);
      if (!section) continue;
      items.push({ label: connection.name, kind: vscode.QuickPickItemKind.Separator }, ...section);
    }
    // Rows arriving from a slower connection must not move the highlight off what the user chose.
    const active = quickPick.activeItems[0]?.target;
    quickPick.items = items;
    const same = active && items.find((item) => item.target?.connection === active.connection && item.target.workflowId === active.workflowId);
    if (same) quickPick.activeItems = [same];
  };
  let remaining = connections.length;
  for (const connection of connections) {
    const platform = services.connections.platformOf(connection);
    void (async () => {
      try {
        const items: WorkflowItem[] = [];
        let cursor: string | undefined;
        // Up to a few pages: enough to pick from; the quick pick filters as the user types.
        for (let page = 0; page < 4; page += 1) {
          const result = await services.providers.listWorkflows(connection.name, cursor, abort.signal);
          for (const workflow of result.items) {
            items.push({
              label: workflow.name,
              description: `${connection.name} · ${platform?.label ?? connection.platform}`,
              detail: [workflow.status, workflow.id].filter(Boolean).join(' · '),
              iconPath: new vscode.ThemeIcon(platform?.icon ?? 'symbol-event'),
              target: { connection: connection.name, workflowId: workflow.id, workflowName: workflow.name },
            });
          }
          cursor = result.next;
          if (!cursor) break;
        }
        sections.set(connection.name, items);
      } catch (error) {
        sections.set(connection.name, [
          { label: `$(error) ${describeError(error)}`, description: connection.name, alwaysShow: true },
        ]);
      } finally {
        remaining -= 1;
        quickPick.busy = remaining > 0;
        render();
      }
    })();
  }
  quickPick.show();
  const choice = await new Promise<WorkflowItem | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      const item = quickPick.selectedItems[0];
      if (item?.target) resolve(item);
    });
    quickPick.onDidHide(() => resolve(undefined));
  });
  abort.abort();
  quickPick.dispose();
  return choice?.target;
}

/**
 * A run chosen from the history, in full. The rows (and `filter`) see the runs as the views list
 * them, without their large fields (inputs, outputs, timeline): only the chosen run is read in full.
 */
export async function pickRun(services: Services, placeHolder: string, filter: (record: RunRecord) => boolean = () => true): Promise<RunRecord | undefined> {
  const runs = services.store.summaries().filter(filter);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('There is no run to choose from.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((record) => ({
      label: workflowLabel(record),
      description: `${record.snapshot.runId} · ${statusWord(record.snapshot.status, vscode.l10n)}${isInFlight(record) ? '' : ` · ${formatRelativeTime(record.snapshot.finishedAt ?? record.triggeredAt)}`}`,
      detail: record.connection,
      record,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked && (services.store.get(picked.record.connection, picked.record.snapshot.runId) ?? picked.record);
}
