// Completion inside the value of a payload file's top-level `$workflow`: every connection's
// workflows as "<connection>/<workflow id>" (a one-workflow connection as just its name), so a
// target is picked, not remembered. The JSON schema completes the keys; this completes the value.
import * as vscode from 'vscode';
import type { Connection } from '../connections/schema';
import type { WorkflowSummary } from '../providers/model';
import { isInWorkflowRefValue } from './location';
import { formatWorkflowRef, type TargetContext } from './target';

export interface WorkflowRefCompletionDeps {
  targetContext(): TargetContext;
  /** The first page of a connection's workflows; failures leave that connection out. */
  listWorkflows(connection: string, signal: AbortSignal): Promise<WorkflowSummary[]>;
  platformLabel(connection: Connection): string;
}

export class WorkflowRefCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly deps: WorkflowRefCompletionDeps) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.CompletionItem[]> {
    const text = document.getText();
    if (!isInWorkflowRefValue(text, document.offsetAt(position))) return [];
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const context = this.deps.targetContext();
      const range = stringContentRange(document, position);
      const lists = await Promise.all(
        context.connections.map(async (connection) => ({
          connection,
          workflows: await this.deps.listWorkflows(connection.name, abort.signal).catch(() => [] as WorkflowSummary[]),
        })),
      );
      const items: vscode.CompletionItem[] = [];
      lists.forEach(({ connection, workflows }, connectionIndex) => {
        workflows.forEach((workflow, workflowIndex) => {
          const ref = formatWorkflowRef({ connection: connection.name, workflowId: workflow.id }, context);
          const item = new vscode.CompletionItem({ label: ref, description: workflow.name }, vscode.CompletionItemKind.Value);
          item.detail = `${this.deps.platformLabel(connection)} · ${connection.name}`;
          item.documentation = workflow.description;
          item.filterText = `${ref} ${workflow.name}`;
          // Connections in settings order, workflows as the platform lists them.
          item.sortText = `${String(connectionIndex).padStart(3, '0')}${String(workflowIndex).padStart(5, '0')}`;
          if (range) item.range = range;
          items.push(item);
        });
      });
      return items;
    } finally {
      cancel.dispose();
    }
  }
}

/** The part of the string literal around the cursor, between its quotes (what a choice replaces). */
function stringContentRange(document: vscode.TextDocument, position: vscode.Position): vscode.Range | undefined {
  const line = document.lineAt(position.line).text;
  const before = line.lastIndexOf('"', position.character - 1);
  if (before === -1) return undefined;
  const after = line.indexOf('"', position.character);
  return new vscode.Range(position.line, before + 1, position.line, after === -1 ? line.length : after);
}
