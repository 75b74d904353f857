// Turns a run back into a payload file (docs/contract.md, "The debugging loop": Open Inputs as
// Payload File): `$workflow` naming the run's workflow, the run's `$options` when it had any, and
// its inputs as the other top-level keys, so running the file as it is sends the same inputs
// again. Pure: no vscode import; the command opens the text, unit tests parse it back with
// ./parse.ts to prove the round trip.
import type { RunRecord } from '../runs/record';
import * as l10n from '@vscode/l10n';
import { isTruncatedMarker } from '../runs/bound';
import { truncatedInRequest } from '../runs/truncatedInputs';

export interface PayloadFromRunOptions {
  /**
   * The platform descriptor's `singleWorkflow` for the run's connection (undefined: the connection
   * has many workflows). Its one workflow is written as just the connection name.
   */
  singleWorkflowId?: string;
  /** Epoch ms → the date shown in the header comment (injected so tests are stable). */
  formatTime?: (epochMs: number) => string;
}

export interface PayloadFromRun {
  text: string;
  /** The `$workflow` value written. */
  workflowRef: string;
  /** Where the inputs came from: what the extension sent, what the platform reported, or neither. */
  inputsSource: 'request' | 'platform' | 'unknown';
  /**
   * Paths ("invoice.lines[3]") of values that the run history kept only as a `{"$truncated": true}`
   * marker. The payload pipeline refuses a file holding one, so the user must fill them in first.
   */
  truncatedPaths: string[];
  /** Input names a payload cannot carry (a top-level key starting with `$` is stripped by the parser). */
  droppedInputs: string[];
}

/** The alias a single-workflow connection's app also answers to (./target.ts `defaultWorkflowId`). */
const defaultWorkflowAlias = 'default';
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `$workflow` text for a run: "<connection>" for a single-workflow connection's app. */
export function workflowRefOf(record: RunRecord, singleWorkflowId?: string): string {
  const workflowId = record.snapshot.workflowId;
  if (singleWorkflowId !== undefined && (workflowId === singleWorkflowId || workflowId === defaultWorkflowAlias || workflowId === '')) {
    return record.connection;
  }
  return `${record.connection}/${workflowId}`;
}

/** What the extension sent wins (exact); a run started elsewhere has only what the platform reports. */
function inputsOf(record: RunRecord): { inputs: Record<string, unknown>; source: PayloadFromRun['inputsSource'] } {
  if (record.request) return { inputs: record.request.inputs, source: 'request' };
  if (isPlainObject(record.snapshot.inputs)) return { inputs: record.snapshot.inputs, source: 'platform' };
  return { inputs: {}, source: 'unknown' };
}

function optionsOf(record: RunRecord): Record<string, unknown> | undefined {
  const sent = record.request?.options;
  if (sent && Object.keys(sent).length > 0) return sent;
  const reported = record.snapshot.options;
  if (reported && Object.keys(reported).length > 0) return reported;
  return undefined;
}

/** Text from a platform or settings on one comment line: no line breaks can end the comment early. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, 200);
}

/** Plain assignment, except that a "__proto__" key stays data (as in JSON.parse and ./parse.ts). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

export function payloadFromRun(record: RunRecord, options: PayloadFromRunOptions = {}): PayloadFromRun {
  const workflowRef = workflowRefOf(record, options.singleWorkflowId);
  const { inputs, source } = inputsOf(record);
  const runOptions = optionsOf(record);

  const document: Record<string, unknown> = { $workflow: workflowRef };
  if (runOptions) document.$options = runOptions;
  const droppedInputs: string[] = [];
  // All of the inputs shortened: the marker's own keys go at the top level, so the document itself
  // is the marker the pipeline refuses (its `$truncated` is not an input to drop).
  const wholeInputsCut = isTruncatedMarker(inputs);
  for (const [key, value] of Object.entries(inputs)) {
    if (key.startsWith('$') && !wholeInputsCut) droppedInputs.push(key);
    else setOwn(document, key, value);
  }
  const truncatedPaths = truncatedInRequest({ inputs, options: runOptions });

  const formatTime = options.formatTime ?? ((epochMs: number) => new Date(epochMs).toISOString());
  const workflowName = record.workflowName ?? record.snapshot.workflowName ?? record.snapshot.workflowId;
  const header = [
    // Comment lines of a JSONC file: the `// ` stays outside the translation, which is one line.
    `// ${l10n.t({
      message: 'Inputs of run {0} of "{1}" on {2}, {3} ({4}).',
      args: [oneLine(record.snapshot.runId), oneLine(workflowName), oneLine(record.connection), formatTime(record.triggeredAt), record.snapshot.status],
      comment: ['{0} is a run id, {1} a workflow, {2} a connection, {3} when the run started, {4} its status (as the platform API names it).'],
    })}`,
    `// ${l10n.t('Run this file as it is to send the same inputs again, or change them first.')}`,
  ];
  if (source === 'platform') header.push(`// ${l10n.t('The inputs are as the platform reported them (the run was not started from this editor).')}`);
  if (source === 'unknown') header.push(`// ${l10n.t("The platform did not report this run's inputs: add them below.")}`);
  if (truncatedPaths.length > 0) {
    header.push(`// ${l10n.t('WARNING: the run history kept only the start of {0}: each holds a {1} marker instead of its value. Replace them with the full values: this file is not run while a marker is in it.', truncatedPaths.map(oneLine).join(', '), '"$truncated"')}`);
  }
  if (droppedInputs.length > 0) {
    header.push(`// ${l10n.t('Not included: {0} (a top-level key starting with $ is not sent as an input).', droppedInputs.map(oneLine).join(', '))}`);
  }
  const text = `${header.join('\n')}\n${JSON.stringify(document, null, 2)}\n`;
  return { text, workflowRef, inputsSource: source, truncatedPaths, droppedInputs };
}
