// Turns the pure presentation (./runPresentation.ts) into VS Code objects: the run TreeItem both
// trees share, and tooltips as untrusted Markdown. Every string from a platform or from settings
// goes through appendText (escaped); only our own icon ids and markup go through appendMarkdown.
import * as vscode from 'vscode';
import { findPlatform } from '../providers/registry';
import type { RunRecord } from '../runs/record';
import { nodeIds, type RunNode } from './nodes';
import {
  runContextValue,
  runDescription,
  runIdLabel,
  runTooltip,
  statusLook,
  workflowDisplayName,
  type RunTooltip,
  type TooltipRow,
} from './runPresentation';

export const showRunDetailsCommand = 'workflowRuns.showRunDetails';

export function statusIcon(record: RunRecord): vscode.ThemeIcon {
  const look = statusLook(record.snapshot.status);
  return new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
}

export interface RunItemOptions {
  now?: number;
  includeConnection?: boolean;
  /** Task rows of the run when the record shown holds no timeline (a summary: see RunStore). */
  taskRows?: number;
}

/**
 * The run row. Its tooltip is left out on purpose: trees fill it in `resolveTreeItem` (see
 * `runTooltipMarkdown`), so a hover shows durations as of the hover, and rows that are never
 * hovered cost nothing.
 */
export function runTreeItem(node: RunNode, options: RunItemOptions = {}): vscode.TreeItem {
  const { record } = node;
  // The Workflows view already groups by workflow, so its rows name the run; the flat Runs view
  // names the workflow instead.
  const label = node.view === 'runs' ? workflowDisplayName(record) : runIdLabel(record.snapshot.runId);
  // A run with tasks/nodes expands to them (collapsed: a tree of runs stays a list of runs).
  const collapsible = (record.snapshot.timeline?.length ?? options.taskRows) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(label, collapsible);
  item.id = nodeIds.run(node.view, record.connection, record.snapshot.runId);
  const description = runDescription(record, { now: options.now, includeConnection: options.includeConnection, l10n: vscode.l10n });
  item.description = description;
  item.iconPath = statusIcon(record);
  item.contextValue = runContextValue(record, findPlatform(record.platform)?.runActions);
  item.command = { command: showRunDetailsCommand, title: vscode.l10n.t('Show Run Details'), arguments: [node] };
  item.accessibilityInformation = { label: `${label}, ${description}` };
  return item;
}

export function platformLabel(platformId: string): string {
  try {
    return findPlatform(platformId)?.label ?? platformId;
  } catch {
    return platformId;
  }
}

export function runTooltipMarkdown(record: RunRecord, now = Date.now()): vscode.MarkdownString {
  return renderRunTooltip(runTooltip(record, { now, l10n: vscode.l10n, platformLabel: platformLabel(record.platform) }));
}

export function renderRunTooltip(tooltip: RunTooltip): vscode.MarkdownString {
  const markdown = untrustedMarkdown();
  appendHeading(markdown, tooltip.title, tooltip.icon);
  appendRows(markdown, tooltip.rows);
  if (tooltip.error) {
    markdown.appendMarkdown('\n\n$(error) ');
    markdown.appendText(tooltip.error);
  }
  if (tooltip.watchNote) {
    markdown.appendMarkdown('\n\n$(watch) ');
    markdown.appendText(tooltip.watchNote);
  }
  if (tooltip.watchError) {
    markdown.appendMarkdown('\n\n$(warning) ');
    markdown.appendText(vscode.l10n.t('While watching: {0}', tooltip.watchError));
  }
  return markdown;
}

/** Markdown that renders our icons but no links to commands, and no HTML. */
export function untrustedMarkdown(): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString('', true);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}

/** A bold title; `icon` is one of our own codicon ids, never user text. */
export function appendHeading(markdown: vscode.MarkdownString, title: string, icon?: string): void {
  markdown.appendMarkdown(icon ? `$(${icon}) **` : '**');
  markdown.appendText(title);
  markdown.appendMarkdown('**\n\n');
}

/** "**Label:** value" lines; both sides escaped. */
export function appendRows(markdown: vscode.MarkdownString, rows: readonly TooltipRow[]): void {
  for (const row of rows) {
    markdown.appendMarkdown('**');
    markdown.appendText(row.label);
    markdown.appendMarkdown(':** ');
    markdown.appendText(row.value);
    markdown.appendMarkdown('  \n');
  }
}
