// The Testing view's "Workflow Runs" controller, registered at activation because VS Code only
// lists controllers that exist. Everything it does — finding payload tests, watching files,
// running them — lives in the services bundle (host/testing.ts) and is loaded when the Testing
// view first asks, a test runs, or a payload file with `$expect` is opened (for its gutter ▶).
import * as vscode from 'vscode';
import type { LazyServices } from './host/lazyServices';
import type { PayloadTests } from './host/testing';

/** A cheap look, before anything is loaded: could this document be a payload test? */
function mayBePayloadTest(document: vscode.TextDocument): boolean {
  return /\.payload\.jsonc?$/i.test(document.uri.path) && document.getText().includes('"$expect"');
}

export interface TestControllerRegistration extends vscode.Disposable {
  /** The loaded half (discovery, runs); loads it when needed, for `reason` (see LazyServices.get). */
  tests(reason: string): Promise<PayloadTests>;
}

export function registerTestController(lazy: LazyServices): TestControllerRegistration {
  const controller = vscode.tests.createTestController('workflowRuns', vscode.l10n.t('Workflow Runs'));
  let attached: Promise<PayloadTests> | undefined;
  const tests = (reason: string) => (attached ??= lazy.attachTests(controller, reason));

  controller.resolveHandler = async (item) => (await tests('the Testing view')).resolve(item);
  const runHandler = (showDetails: boolean) => async (request: vscode.TestRunRequest, token: vscode.CancellationToken) =>
    (await tests('a test run')).run(request, token, showDetails);
  const profiles = [
    controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, runHandler(false), true),
    controller.createRunProfile(vscode.l10n.t('Run (show details)'), vscode.TestRunProfileKind.Run, runHandler(true), false),
  ];

  const opened = (document: vscode.TextDocument) => {
    if (mayBePayloadTest(document)) void tests('a payload test opened in an editor').then((loaded) => loaded.documentOpened(document), () => undefined);
  };
  vscode.workspace.textDocuments.forEach(opened);
  const listening = vscode.workspace.onDidOpenTextDocument(opened);

  return {
    tests,
    dispose: () => {
      listening.dispose();
      profiles.forEach((profile) => profile.dispose());
      void attached?.then((loaded) => loaded.dispose(), () => undefined);
      controller.dispose();
    },
  };
}
