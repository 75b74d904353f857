// The Testing view's payload tests (contract, "Payload files as tests"), the heavy half: the
// controller itself is created at activation (src/testController.ts); this part, in the services
// bundle, finds `*.payload.json(c)` files holding `$expect` when the view first asks, keeps the
// items current through a file watcher and the open documents, and runs them through the run
// service, each with runTest.ts — the same code the CLI runs.
import * as vscode from 'vscode';
import { checkPayload } from '../payload/pipeline';
import type { Services } from '../services';
import { Emitter, type Event } from '../util/emitter';
import { disposeAll } from '../util/lifecycle';
import { readExpect, type LineRange } from '../testing/locate';
import { isPayloadFileName, mismatchReports, outcomeLine, parallelism, splitRelativePath } from '../testing/results';
import { preparePayloadTest, runPayloadTest, type PayloadTestOutcome } from '../testing/runTest';
import { triggerThroughRunService } from './testingTrigger';

const payloadGlob = '**/*.payload.{json,jsonc}';
/** Bounds on discovery: a workspace with more payload files, or a bigger one, is not a test suite we read whole. */
const maxFiles = 5_000;
const maxFileBytes = 2 * 1024 * 1024;
/** Edits are re-read after a pause in typing, not on every keystroke. */
const editDelayMs = 300;

/** What one test ended with, as reported to the Testing view (kept for the extension-host tests). */
export interface ReportedResult {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  /** The messages' text, in order. */
  messages: string[];
  /** 0-based lines the messages were placed on. */
  lines: number[];
  durationMs?: number;
  runId?: string;
}

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
  private readonly disposables: vscode.Disposable[] = [];
  private discovered: Promise<void> | undefined;
  private readonly editTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly finished = new Emitter<ReportedResult[]>();
  readonly onDidFinishRun = this.finished.event;

  constructor(
    private readonly controller: vscode.TestController,
    private readonly services: Services,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.documentEdited(event.document)),
      // Closing without saving drops the edits: the file on disk counts again.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (isPayloadFileName(document.uri.path) && document.uri.scheme === 'file') void this.updateFromDisk(document.uri);
      }),
      { dispose: () => this.editTimers.forEach((timer) => clearTimeout(timer)) },
    );
  }

  dispose(): void {
    this.finished.dispose();
    disposeAll(this.disposables);
  }

  /** The Testing view asks for children: `undefined` is the whole workspace (the first look). */
  async resolve(item: vscode.TestItem | undefined): Promise<void> {
    if (!item) await this.resolveAll();
  }

  resolveAll(): Promise<void> {
    this.discovered ??= this.discover();
    return this.discovered;
  }

  /** A payload document was opened before the Testing view looked: its ▶ shows in the gutter at once. */
  documentOpened(document: vscode.TextDocument): void {
    if (this.isCandidate(document.uri)) this.update(document.uri, document.getText());
  }

  items(): Map<string, string> {
    const all = new Map<string, string>();
    this.controller.items.forEach((folder) => folder.children.forEach((file) => all.set(file.id, file.label)));
    return all;
  }

  testItem(id: string): vscode.TestItem | undefined {
    let found: vscode.TestItem | undefined;
    this.controller.items.forEach((folder) => (found ??= folder.children.get(id)));
    return found;
  }

  private async discover(): Promise<void> {
    const watcher = vscode.workspace.createFileSystemWatcher(payloadGlob);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => void this.updateFromDisk(uri)),
      watcher.onDidChange((uri) => void this.updateFromDisk(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
    );
    const files = await vscode.workspace.findFiles(payloadGlob, '**/node_modules/**', maxFiles);
    await Promise.all(files.map((uri) => this.updateFromDisk(uri)));
  }

  private isCandidate(uri: vscode.Uri): boolean {
    return isPayloadFileName(uri.path) && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private documentEdited(document: vscode.TextDocument): void {
    if (!this.isCandidate(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.editTimers.get(key));
    this.editTimers.set(
      key,
      setTimeout(() => {
        this.editTimers.delete(key);
        this.update(document.uri, document.getText());
      }, editDelayMs),
    );
  }

  private async updateFromDisk(uri: vscode.Uri): Promise<void> {
    if (!this.isCandidate(uri)) return;
    // An open document's text is what a run would send, saved or not.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.update(uri, open.getText());
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > maxFileBytes) return this.remove(uri);
      this.update(uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      this.remove(uri);
    }
  }

  /** Adds, updates or (when it holds no `$expect`) removes the file's test item. */
  private update(uri: vscode.Uri, text: string): void {
    const read = readExpect(text);
    if (!read.present) return this.remove(uri);
    const { folder, name } = splitRelativePath(vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1));
    const folderId = `folder:${folder}`;
    let folderItem = this.controller.items.get(folderId);
    if (!folderItem) {
      folderItem = this.controller.createTestItem(folderId, folder === '' ? vscode.l10n.t('(workspace root)') : folder);
      this.controller.items.add(folderItem);
    }
    let item = folderItem.children.get(uri.toString());
    if (!item) {
      item = this.controller.createTestItem(uri.toString(), name, uri);
      folderItem.children.add(item);
    }
    // The ▶ in the gutter and the results sit on the `$expect` key.
    item.range = toRange(read.location.key);
    item.error = read.problems[0]?.message;
  }

  private remove(uri: vscode.Uri): void {
    const id = uri.toString();
    this.controller.items.forEach((folder) => {
      if (!folder.children.get(id)) return;
      folder.children.delete(id);
      if (folder.children.size === 0) this.controller.items.delete(folder.id);
    });
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
        for (const test of tests) results.push(this.report(run, test, { state: 'skipped' }));
        return;
      }
      const limit = parallelism(vscode.workspace.getConfiguration('workflowRuns').get('testing.parallel'));
      let next = 0;
      const worker = async () => {
        while (next < tests.length) {
          const test = tests[next++]!;
          if (cancel.signal.aborted) results.push(this.report(run, test, { state: 'skipped' }));
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
      return this.report(run, item, { state: 'errored', messages: [{ text: vscode.l10n.t('{0} could not be read: {1}', file, String(error)) }] });
    }
    const text = document.getText();
    const { payload } = this.services;
    const prepared = preparePayloadTest(text, payload.targetContext(), { requireExpect: true, remembered: payload.remembered.get(uri.toString()) });
    if (!prepared.ok) {
      if ('noExpect' in prepared) return this.report(run, item, { state: 'skipped' });
      // The Problems panel shows it too, as when Run Payload File refuses a file. Nothing was sent.
      const { problem } = prepared;
      const check = checkPayload(text, payload.targetContext(), { remembered: payload.remembered.get(uri.toString()) });
      if (!check.ok) payload.diagnostics.reportPayloadProblems(document, check.error);
      const range = new vscode.Range(problem.line - 1, problem.column - 1, problem.line - 1, problem.column - 1);
      const sentence = vscode.l10n.t('{0}. Nothing was sent.', problem.message);
      run.appendOutput(`${file}: ${sentence}\r\n`, undefined, item);
      return this.report(run, item, { state: 'errored', messages: [{ text: sentence, range }] });
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
        return this.report(run, item, { state: 'passed', durationMs: outcome.elapsedMs, runId });
      case 'failed': {
        const reports = mismatchReports(outcome.mismatches, test.location);
        const messages = reports.map((report) => ({ text: report.text, range: report.range && toRange(report.range), diff: report.diff, link }));
        return this.report(run, item, { state: 'failed', durationMs: outcome.elapsedMs, runId, messages });
      }
      case 'error':
        return this.report(run, item, { state: 'errored', durationMs: outcome.elapsedMs, runId, messages: [{ text: outcome.error ?? vscode.l10n.t('The run could not be checked.'), range: item.range, link }] });
      case 'cancelled':
        return this.report(run, item, { state: 'skipped', runId, messages: [{ text: outcome.error ?? vscode.l10n.t('Cancelled.') }] });
    }
  }

  /** Tells the Testing view a test's result, and keeps what was told. */
  private report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    result: { state: ReportedResult['state']; durationMs?: number; runId?: string; messages?: Array<{ text: string; range?: vscode.Range; diff?: { expected: string; actual: string }; link?: string }> },
  ): ReportedResult {
    const messages = (result.messages ?? []).map((message) => {
      const body = new vscode.MarkdownString(escapeMarkdown(message.text) + (message.link ?? ''));
      // Trusted for this one command only: the text itself is escaped.
      body.isTrusted = { enabledCommands: ['workflowRuns.showRunDetails'] };
      const testMessage = message.diff ? vscode.TestMessage.diff(body, message.diff.expected, message.diff.actual) : new vscode.TestMessage(body);
      const range = message.range ?? item.range;
      if (item.uri && range) testMessage.location = new vscode.Location(item.uri, range);
      return testMessage;
    });
    switch (result.state) {
      case 'passed':
        run.passed(item, result.durationMs);
        break;
      case 'failed':
        run.failed(item, messages, result.durationMs);
        break;
      case 'errored':
        run.errored(item, messages, result.durationMs);
        break;
      case 'skipped':
        for (const message of result.messages ?? []) run.appendOutput(`${message.text}\r\n`, undefined, item);
        run.skipped(item);
        break;
    }
    return {
      id: item.id,
      state: result.state,
      messages: (result.messages ?? []).map((message) => message.text),
      lines: messages.map((message) => message.location?.range.start.line ?? -1),
      durationMs: result.durationMs,
      runId: result.runId,
    };
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

function toRange(range: LineRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** A link to the run's details panel, appended to a failure's message. */
function detailsLink(connection: string, runId: string): string {
  const args = encodeURIComponent(JSON.stringify([{ connection, runId }]));
  return `\n\n[${escapeMarkdown(vscode.l10n.t('Open run {0}', runId))}](command:workflowRuns.showRunDetails?${args})`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
