// Shows why a payload file was not sent in the Problems panel, under the source "Workflow Runs"
// (contract: "Payload files"). Problems are set when a run is attempted and kept in step with
// edits afterwards, so a fixed file does not keep a stale error.
import * as vscode from 'vscode';
import { isPayloadError, parsePayload } from './parse';
import type { OffsetRange, PayloadError, PayloadWarning } from './parse';
import { Disposable } from '../util/lifecycle';
import { checkPayload, type PayloadPipelineContext } from './pipeline';
import type { RunTarget } from './target';

export const diagnosticSource = 'Workflow Runs';

export interface PayloadProblems {
  error?: PayloadError;
  warnings?: PayloadWarning[];
}

/**
 * Re-checks a document after an edit. The default only parses; the caller can pass one that also
 * checks `$options` against the target's platform.
 */
export type PayloadValidator = (document: vscode.TextDocument) => PayloadProblems;

/**
 * The validator the extension uses: the payload pipeline, the same checks a run makes, with the
 * current connections and the file's remembered target.
 */
export function pipelineValidator(context: () => PayloadPipelineContext, rememberedTarget: (uri: string) => RunTarget | undefined): PayloadValidator {
  return (document) => {
    const check = checkPayload(document.getText(), context(), { remembered: rememberedTarget(document.uri.toString()) });
    return check.ok ? { warnings: check.warnings } : { error: check.error };
  };
}

function parseOnly(document: vscode.TextDocument): PayloadProblems {
  const result = parsePayload(document.getText());
  return isPayloadError(result) ? { error: result } : {};
}

export class PayloadDiagnostics extends Disposable implements vscode.Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('Workflow Runs'));

  constructor(private readonly validate: PayloadValidator = parseOnly) {
    super();
    this.register(vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((event) => {
        // Only files we already reported on: other JSON files are the JSON language's business.
        if (this.collection.has(event.document.uri)) this.report(event.document, this.validate(event.document));
      }),
    );
  }

  /** Sets (or, with no error and no warnings, clears) the file's problems. */
  reportPayloadProblems(document: vscode.TextDocument, error: PayloadError | undefined, warnings: PayloadWarning[] = []): void {
    this.report(document, { error, warnings });
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  private report(document: vscode.TextDocument, problems: PayloadProblems): void {
    const diagnostics: vscode.Diagnostic[] = [];
    if (problems.error) diagnostics.push(this.diagnostic(document, problems.error, problems.error.message, vscode.DiagnosticSeverity.Error));
    for (const warning of problems.warnings ?? []) {
      diagnostics.push(this.diagnostic(document, warning, warning.message, vscode.DiagnosticSeverity.Warning));
    }
    if (diagnostics.length === 0) this.collection.delete(document.uri);
    else this.collection.set(document.uri, diagnostics);
  }

  private diagnostic(document: vscode.TextDocument, range: OffsetRange, message: string, severity: vscode.DiagnosticSeverity): vscode.Diagnostic {
    const start = document.positionAt(range.offset);
    // A zero-length problem (a missing comma) still needs a visible squiggle: take one character.
    const length = range.length > 0 ? range.length : Math.min(1, document.getText().length - range.offset);
    const end = document.positionAt(range.offset + Math.max(0, length));
    const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), message, severity);
    diagnostic.source = diagnosticSource;
    return diagnostic;
  }
}
