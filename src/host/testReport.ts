// How one payload test's result is told to the Testing view: TestMessages (with a diff where one
// value differs, placed on the `$expect` line, with a link to the run's details) and the state.
// What was told is also returned, for the extension-host tests (the API cannot read results back).
import * as vscode from 'vscode';
import type { LineRange } from '../testing/locate';

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

export interface TestResultToReport {
  state: ReportedResult['state'];
  durationMs?: number;
  runId?: string;
  messages?: Array<{ text: string; range?: vscode.Range; diff?: { expected: string; actual: string }; link?: string }>;
}

/** Tells the Testing view a test's result, and returns what was told. */
export function reportResult(run: vscode.TestRun, item: vscode.TestItem, result: TestResultToReport): ReportedResult {
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

export function toRange(range: LineRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

/** A link to the run's details panel, appended to a failure's message. */
export function detailsLink(connection: string, runId: string): string {
  const args = encodeURIComponent(JSON.stringify([{ connection, runId }]));
  return `\n\n[${escapeMarkdown(vscode.l10n.t('Open run {0}', runId))}](command:workflowRuns.showRunDetails?${args})`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
