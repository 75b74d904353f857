// The "▶ Run on …" lens at the top of payload files (contract: `runPayloadFile` "offered as a
// CodeLens at the top of payload files"). A JSON file is a payload file when it is named
// *.payload.json(c), has a top-level `$workflow`, or has a remembered target; every other JSON
// file (package.json, tsconfig.json …) gets no lens.
import * as vscode from 'vscode';
import type { RunTarget } from '../runs/record';
import type { Disposable, Event } from '../util/emitter';
import { readWorkflowRef } from './parse';
import { formatWorkflowRef } from './target';
import { disposeAll } from '../util/lifecycle';

export const runPayloadFileCommand = 'workflowRuns.runPayloadFile';

const payloadFileName = /\.payload\.jsonc?$/i;

export interface PayloadCodeLensDeps {
  /** The per-file targets chosen by quick pick (./target.ts RememberedTargets fits). */
  remembered: { get(uri: string): RunTarget | undefined; onDidChange?: Event<string> };
  /** Resolves a `$workflow` ref against the current connections; undefined when it cannot. */
  resolveRef(ref: string): RunTarget | undefined;
  /** Optional: writes a target the way users write it (e.g. a Dify app as just its connection name). */
  formatTarget?(target: RunTarget): string;
}

export function isPayloadFileName(path: string): boolean {
  return payloadFileName.test(path);
}

export class PayloadCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: Array<Disposable | vscode.Disposable> = [];

  constructor(private readonly deps: PayloadCodeLensDeps) {
    if (deps.remembered.onDidChange) this.subscriptions.push(deps.remembered.onDidChange(() => this.refresh()));
  }

  /** Recompute every lens: call when connections (settings) change, so titles follow renames. */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.languageId !== 'json' && document.languageId !== 'jsonc') return [];
    const uri = document.uri.toString();
    const ref = readWorkflowRef(document.getText());
    const remembered = ref === undefined ? this.deps.remembered.get(uri) : undefined;
    if (ref === undefined && !remembered && !isPayloadFileName(document.uri.path)) return [];

    const target = ref !== undefined ? this.deps.resolveRef(ref) : remembered;
    const range = new vscode.Range(0, 0, 0, 0);
    const command: vscode.Command = { command: runPayloadFileCommand, title: '', arguments: [document.uri] };
    if (target) {
      const name = target.workflowName ? ` — ${target.workflowName}` : '';
      command.title = vscode.l10n.t('▶ Run on {0}', this.format(target)) + name;
      command.tooltip = ref !== undefined ? vscode.l10n.t('Run this payload on {0} ($workflow)', this.format(target)) : vscode.l10n.t('Run this payload on the workflow chosen for this file');
    } else if (ref !== undefined) {
      // Keep the ref visible so the user sees what is wrong; running explains the problem in full.
      command.title = vscode.l10n.t('▶ Run on {0}', ref);
      command.tooltip = vscode.l10n.t('$workflow "{0}" does not match a connection: running will say why', ref);
    } else {
      command.title = vscode.l10n.t('▶ Run… (choose workflow)');
      command.tooltip = vscode.l10n.t('Choose the workflow to run this payload on; the choice is remembered for this file');
    }
    return [new vscode.CodeLens(range, command)];
  }

  dispose(): void {
    disposeAll(this.subscriptions);
    this.changed.dispose();
  }

  private format(target: RunTarget): string {
    return this.deps.formatTarget ? this.deps.formatTarget(target) : formatWorkflowRef(target);
  }
}
