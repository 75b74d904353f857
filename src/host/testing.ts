// The Testing view's payload tests (contract, "Payload files as tests"), the heavy half: the
// controller itself is created at activation (src/testController.ts); this part, in the services
// bundle, runs the tests the view asks for through the run service, each with runTest.ts — the
// same code the CLI runs. Finding the tests and keeping them current is ./testItems.ts's; telling
// the view a result is ./testReport.ts's.
import * as vscode from 'vscode';
import { checkPayload } from '../payload/pipeline';
import type { Services } from '../services';
import { Emitter, type Event } from '../util/emitter';
import { mismatchReports, outcomeLine, parallelism } from '../testing/results';
import { preparePayloadTest, runPayloadTest, type PayloadTestOutcome } from '../testing/runTest';
import { triggerThroughRunService } from './testingTrigger';
import { PayloadTestItems } from './testItems';
import { detailsLink, reportResult, toRange, type ReportedResult } from './testReport';

export type { ReportedResult } from './testReport';

export interface PayloadTestsApi {
  /** Discovers the workspace's payload tests now (what the Testing view's first look does). */
  resolveAll(): Promise<void>;
  /** Every test as `id → label`, for checks. */
  items(): Map<string, string>;
  /** The test item of a payload file (its URI string), for building a TestRunRequest. */
  testItem(id: string): vscode.TestItem | undefined;
  /** What the "Run" profiles call; `showDetails` is the "Run (show details)" profile. */
  run(request: vscode.TestRunRequest, token: vscode.CancellationToken, showDetails: boolean): Promise<void>;
  /** Each test request's results, once all its tests ended. */
  readonly onDidFinishRun: Event<ReportedResult[]>;
}

export class PayloadTests implements PayloadTestsApi, vscode.Disposable {
  private readonly tests: PayloadTestItems;
  private readonly finished = new Emitter<ReportedResult[]>();
  readonly onDidFinishRun = this.finished.event;

  constructor(
    private readonly controller: vscode.TestController,
    private readonly services: Services,
  ) {
    this.tests = new PayloadTestItems(controller);
  }

  dispose(): void {
    this.finished.dispose();
    this.tests.dispose();
  }

  /** The Testing view asks for children: `undefined` is the whole workspace (the first look). */
  async resolve(item: vscode.TestItem | undefined): Promise<void> {
    if (!item) await this.resolveAll();
  }

  resolveAll(): Promise<void> {
    return this.tests.resolveAll();
  }

  /** A payload document was opened before the Testing view looked: its ▶ shows in the gutter at once. */
  documentOpened(document: vscode.TextDocument): void {
    this.tests.documentOpened(document);
  }

  items(): Map<string, string> {
    return this.tests.items();
  }

  testItem(id: string): vscode.TestItem | undefined {
    return this.tests.testItem(id);
  }

  /** Runs the tests a request names (all of them when it names none), a few at a time. */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, showDetails: boolean): Promise<void> {
    if (!request.include) await this.resolveAll();
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const tests: vscode.TestItem[] = [];
    const collect = (item: vscode.TestItem) => {
      if (excluded.has(item.id)) return;
      if (item.uri && item.children.size === 0 && !item.id.startsWith('folder:')) tests.push(item);
      else item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else this.controller.items.forEach(collect);

    const run = this.controller.createTestRun(request);
    const results: ReportedResult[] = [];
    const cancel = new AbortController();
    const cancelled = token.onCancellationRequested(() => cancel.abort());
    try {
      for (const test of tests) run.enqueued(test);
      if (!(await this.confirmUntrusted(tests.length))) {
        for (const test of tests) results.push(reportResult(run, test, { state: 'skipped' }));
        return;
      }
      const limit = parallelism(vscode.workspace.getConfiguration('workflowRuns').get('testing.parallel'));
      let next = 0;
      const worker = async () => {
        while (next < tests.length) {
          const test = tests[next++]!;
          if (cancel.signal.aborted) results.push(reportResult(run, test, { state: 'skipped' }));
          else results.push(await this.runOne(run, test, cancel.signal, showDetails));
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tests.length)) }, worker));
    } finally {
      cancelled.dispose();
      run.end();
      this.finished.fire(results);
    }
  }

  private async runOne(run: vscode.TestRun, item: vscode.TestItem, signal: AbortSignal, showDetails: boolean): Promise<ReportedResult> {
    run.started(item);
    const uri = item.uri!;
    const file = vscode.workspace.asRelativePath(uri);
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch (error) {
      return reportResult(run, item, { state: 'errored', messages: [{ text: vscode.l10n.t('{0} could not be read: {1}', file, String(error)) }] });
    }
    const text = document.getText();
    const { payload } = this.services;
    const prepared = preparePayloadTest(text, payload.targetContext(), { requireExpect: true, remembered: payload.remembered.get(uri.toString()) });
    if (!prepared.ok) {
      if ('noExpect' in prepared) return reportResult(run, item, { state: 'skipped' });
      // The Problems panel shows it too, as when Run Payload File refuses a file. Nothing was sent.
      const { problem } = prepared;
      const check = checkPayload(text, payload.targetContext(), { remembered: payload.remembered.get(uri.toString()) });
      if (!check.ok) payload.diagnostics.reportPayloadProblems(document, check.error);
      const range = new vscode.Range(problem.line - 1, problem.column - 1, problem.line - 1, problem.column - 1);
      const sentence = vscode.l10n.t('{0}. Nothing was sent.', problem.message);
      run.appendOutput(`${file}: ${sentence}\r\n`, undefined, item);
      return reportResult(run, item, { state: 'errored', messages: [{ text: sentence, range }] });
    }
    const test = prepared.test;
    payload.diagnostics.clear(uri);
    // Ended with the test: releases the store subscription of a run that was never followed.
    const done = new AbortController();
    let runId: string | undefined;
    let outcome: PayloadTestOutcome;
    try {
      outcome = await runPayloadTest(
        test,
        {
          provider: (name) => this.services.providers.get(name),
          trigger: (prepared, triggerSignal) =>
            triggerThroughRunService(this.services.runs, this.services.store, prepared, AbortSignal.any([triggerSignal, done.signal]), {
              payloadUri: uri.toString(),
              recorded: (record) => {
                runId = record.snapshot.runId;
                run.appendOutput(`${vscode.l10n.t('{0}: started run {1} on {2}', file, runId, record.connection)}\r\n`, undefined, item);
                if (showDetails) this.services.details.show(record, { preserveFocus: true });
              },
            }),
        },
        { signal },
      );
    } finally {
      done.abort();
    }
    runId ??= outcome.snapshot?.runId;
    run.appendOutput(`${outcomeLine(file, test.target.connection, outcome)}\r\n`, undefined, item);
    const link = runId ? detailsLink(test.target.connection, runId) : '';
    switch (outcome.verdict) {
      case 'passed':
        return reportResult(run, item, { state: 'passed', durationMs: outcome.elapsedMs, runId });
      case 'failed': {
        const reports = mismatchReports(outcome.mismatches, test.location);
        const messages = reports.map((report) => ({ text: report.text, range: report.range && toRange(report.range), diff: report.diff, link }));
        return reportResult(run, item, { state: 'failed', durationMs: outcome.elapsedMs, runId, messages });
      }
      case 'error':
        return reportResult(run, item, { state: 'errored', durationMs: outcome.elapsedMs, runId, messages: [{ text: outcome.error ?? vscode.l10n.t('The run could not be checked.'), range: item.range, link }] });
      case 'cancelled':
        return reportResult(run, item, { state: 'skipped', runId, messages: [{ text: outcome.error ?? vscode.l10n.t('Cancelled.') }] });
    }
  }

  /** Tests from a workspace the user has not trusted send its files with the user's credentials: ask once per request. */
  private async confirmUntrusted(count: number): Promise<boolean> {
    if (vscode.workspace.isTrusted || count === 0) return true;
    const runLabel = vscode.l10n.t('Run');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Run {0} payload files from a workspace you have not trusted?', count),
      { modal: true, detail: vscode.l10n.t('Their contents will be sent to your connections with your credentials. Check the files first if you did not write them.') },
      runLabel,
    );
    return choice === runLabel;
  }
}
