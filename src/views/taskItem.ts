// The task/node row under a run in both trees: label = the task's title, description = its state
// word, an icon by state in a theme colour, and a tooltip (made on hover) with its duration and
// error. A click opens the run details panel on that task. After them, for a run too big to keep
// whole, one row that says how many tasks/nodes are not kept (a click opens the run's panel).
import * as vscode from 'vscode';
import type { TimelineEntry } from '../providers/model';
import { nodeIds, type TaskNode, type TasksOmittedNode } from './nodes';
import { renderRunTooltip, showRunDetailsCommand } from './runItem';
import { taskDescription, taskLook, taskTooltip } from './taskPresentation';
import { taskContextValue } from './runPresentation';
import { findPlatform } from '../providers/registry';

export function taskTreeItem(node: TaskNode, entry: TimelineEntry | undefined): vscode.TreeItem {
  const label = entry?.name ?? node.taskId;
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = nodeIds.task(node.view, node.record.connection, node.record.snapshot.runId, node.taskId);
  if (entry) {
    const description = taskDescription(entry, vscode.l10n);
    item.description = description;
    const look = taskLook(entry.state);
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.accessibilityInformation = { label: `${label}, ${description}` };
  }
  item.contextValue = taskContextValue(node.record, findPlatform(node.record.platform)?.runActions);
  item.command = { command: showRunDetailsCommand, title: vscode.l10n.t('Show Run Details'), arguments: [node] };
  return item;
}

export function taskTooltipMarkdown(entry: TimelineEntry): vscode.MarkdownString {
  return renderRunTooltip(taskTooltip(entry, vscode.l10n));
}

export function tasksOmittedTreeItem(node: TasksOmittedNode): vscode.TreeItem {
  const count = (node.record.snapshot.timelineOmitted ?? 0).toLocaleString('en-US');
  const item = new vscode.TreeItem(vscode.l10n.t('{0} more tasks/nodes not kept', count), vscode.TreeItemCollapsibleState.None);
  item.id = nodeIds.tasksOmitted(node.view, node.record.connection, node.record.snapshot.runId);
  item.iconPath = new vscode.ThemeIcon('info');
  // The page's words for the same limit.
  item.tooltip = vscode.l10n.t('{0} more tasks/nodes not kept: the run was too big to keep whole.', count);
  item.contextValue = 'tasksOmitted';
  // The details panel shows the same run with its waterfall and the same words.
  item.command = { command: showRunDetailsCommand, title: vscode.l10n.t('Show Run Details'), arguments: [node] };
  return item;
}
