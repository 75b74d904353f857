// The Workflows view's rows: how a connection, a workflow, "Load more…" and an error look. Every
// string from a platform or the settings goes into tooltips as text, never as Markdown.
import * as vscode from 'vscode';
import type { Connection } from '../connections/schema';
import type { PlatformDescriptor } from '../providers/provider';
import type { RunRecord } from '../runs/record';
import { nodeIds, type ConnectionNode, type ErrorNode, type LoadMoreNode, type WorkflowNode } from './nodes';
import { appendHeading, appendRows, statusIcon, untrustedMarkdown } from './runItem';

/** A connection row: its exact name, the platform, the base URL in the tooltip. */
export function connectionItem(node: ConnectionNode, connection: Connection | undefined, platform: Pick<PlatformDescriptor, 'label' | 'icon'> | undefined): vscode.TreeItem {
  // The label is the connection's name exactly (the contract): a plain string, no decoration.
  const item = new vscode.TreeItem(node.connection, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = nodeIds.connection(node.connection);
  item.description = platform?.label ?? connection?.platform;
  item.iconPath = new vscode.ThemeIcon(platform?.icon ?? 'plug');
  item.contextValue = 'connection';
  const tooltip = untrustedMarkdown();
  appendHeading(tooltip, node.connection, platform?.icon ?? 'plug');
  appendRows(tooltip, [
    { label: vscode.l10n.t('Platform'), value: platform?.label ?? connection?.platform ?? '' },
    { label: vscode.l10n.t('Base URL'), value: connection?.baseUrl ?? '' },
  ].filter((row) => row.value !== ''));
  item.tooltip = tooltip;
  return item;
}

/**
 * A workflow row. `latest` is its newest run (its icon); `mayHaveRuns` makes it expandable, which
 * platforms that list runs (Dify, B3OS) are even when no run was started here.
 */
export function workflowItem(node: WorkflowNode, latest: RunRecord | undefined, mayHaveRuns: boolean): vscode.TreeItem {
  const { workflow } = node;
  const item = new vscode.TreeItem(
    workflow.name || workflow.id,
    mayHaveRuns ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeIds.workflow(node.connection, workflow.id);
  const details = [workflow.status, workflow.version].filter((part): part is string => Boolean(part));
  if (workflow.runnable === false) details.push(vscode.l10n.t('cannot be run'));
  item.description = details.join(' · ') || undefined;
  // The newest run's status at a glance, as the collapsed row is all most users see.
  item.iconPath = latest ? statusIcon(latest) : new vscode.ThemeIcon('symbol-event');
  item.contextValue = 'workflow';
  const tooltip = untrustedMarkdown();
  appendHeading(tooltip, workflow.name || workflow.id);
  appendRows(tooltip, [
    { label: vscode.l10n.t('ID'), value: workflow.id },
    { label: vscode.l10n.t('Status'), value: workflow.status ?? '' },
    { label: vscode.l10n.t('Version'), value: workflow.version ?? '' },
  ].filter((row) => row.value !== ''));
  if (workflow.description) {
    tooltip.appendMarkdown('\n\n');
    tooltip.appendText(workflow.description);
  }
  item.tooltip = tooltip;
  return item;
}

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    node.loading ? vscode.l10n.t('Loading…') : vscode.l10n.t('Load more…'),
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = nodeIds.loadMore(node.connection, node.workflowId);
  item.iconPath = new vscode.ThemeIcon(node.loading ? 'loading~spin' : 'more');
  item.contextValue = 'loadMore';
  item.command = { command: 'workflowRuns.loadMore', title: vscode.l10n.t('Load More'), arguments: [node] };
  return item;
}

export function errorItem(node: ErrorNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
  item.id = node.source === 'settings' ? nodeIds.settingsProblem(node.index ?? 0) : nodeIds.loadError(node.connection ?? '');
  item.iconPath = new vscode.ThemeIcon(node.credentialProblem ? 'key' : 'error', new vscode.ThemeColor('errorForeground'));
  item.contextValue = node.credentialProblem ? 'connectionError.auth' : 'connectionError.other';
  let hint: string;
  if (node.source === 'settings') {
    hint = vscode.l10n.t('Fix the entry in the workflowRuns.connections setting.');
    item.command = {
      command: 'workbench.action.openSettings',
      title: vscode.l10n.t('Open Settings'),
      arguments: ['workflowRuns.connections'],
    };
  } else if (node.credentialProblem) {
    hint = vscode.l10n.t('Click to set the credentials of this connection.');
    item.command = { command: 'workflowRuns.setCredentials', title: vscode.l10n.t('Set Credentials…'), arguments: [node] };
  } else {
    hint = vscode.l10n.t('Click to try again.');
    item.command = { command: 'workflowRuns.refresh', title: vscode.l10n.t('Refresh'), arguments: [node] };
  }
  const tooltip = untrustedMarkdown();
  tooltip.appendText(node.message);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(hint);
  item.tooltip = tooltip;
  item.accessibilityInformation = { label: vscode.l10n.t('Error: {0}', node.message), role: 'button' };
  return item;
}
