// Writes a new payload file from a workflow's declared inputs ("New Payload File…"). Pure: the
// caller fetches the inputs and opens the text. The result is JSONC that parsePayload accepts,
// with one commented line per input so the user knows what to fill in.
import type { InputField } from '../providers/model';
import { findPlatform } from '../providers/registry';
import * as l10n from '@vscode/l10n';

export interface PayloadTemplateRequest {
  /** The `$workflow` value, e.g. from formatWorkflowRef. */
  workflowRef: string;
  fields: InputField[];
  /** Platform id ("zuora" | "dify" | "b3os"): chooses the `$options` hint. */
  platform: string;
  /** Written as `$schema` when given. */
  schemaUrl?: string;
}

const indent = '  ';

/** A commented-out `$options` example per platform: shows what exists without changing the run. */

export function buildPayloadTemplate(request: PayloadTemplateRequest): string {
  const entries: Array<{ comments: string[]; property: string }> = [];
  entries.push({ comments: [], property: `${JSON.stringify('$workflow')}: ${JSON.stringify(request.workflowRef)}` });
  if (request.schemaUrl) entries.push({ comments: [], property: `${JSON.stringify('$schema')}: ${JSON.stringify(request.schemaUrl)}` });

  const reserved = new Set(findPlatform(request.platform)?.reservedInputs?.names ?? []);
  const trailing: string[] = [];
  if (request.fields.length === 0) {
    trailing.push(`// ${l10n.t('This workflow declares no inputs. Add the keys it reads here, e.g. "name": "value".')}`);
  }
  request.fields.forEach((field, index) => {
    const comments = describeField(field, reserved.has(field.name));
    // The $options hint sits just above the first input, where it is seen but out of the way.
    entries.push({ comments: index === 0 ? ['', ...(findPlatform(request.platform)?.optionsHint ?? []), ...comments] : comments, property: `${JSON.stringify(field.name)}: ${renderValue(valueFor(field))}` });
  });
  if (request.fields.length === 0) trailing.unshift('', ...(findPlatform(request.platform)?.optionsHint ?? []));

  const lines = [
    `// ${l10n.t("Payload for {0}: every key is sent as the run's input, except keys starting with $.", oneLine(request.workflowRef))}`,
    `// ${l10n.t('Run it with ▶ in the editor title, or "Workflow Runs: Run Payload File".')}`,
    '{',
  ];
  entries.forEach((entry, index) => {
    // '' is a blank line separating the `$` keys from the inputs.
    for (const comment of entry.comments) lines.push(comment === '' ? '' : indent + comment);
    // No trailing comma after the last property: the file stays valid even for strict JSON readers.
    lines.push(indent + entry.property + (index < entries.length - 1 ? ',' : ''));
  });
  for (const comment of trailing) lines.push(comment === '' ? '' : indent + comment);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The comment above an input: "required · Label · text · one of: a, b" and its description. */
function describeField(field: InputField, reserved: boolean): string[] {
  const parts = [field.required ? l10n.t('required') : l10n.t('optional')];
  if (field.label && field.label !== field.name) parts.push(oneLine(field.label));
  parts.push(oneLine(field.type));
  if (field.options && field.options.length > 0) parts.push(l10n.t('one of: {0}', field.options.map(oneLine).join(', ')));
  const comments = [`// ${parts.join(' · ')}`];
  if (field.description) comments.push(`// ${oneLine(field.description)}`);
  if (reserved) comments.push(`// ${l10n.t('Warning: the platform reserves this name; the workflow will not receive it.')}`);
  return comments;
}

/** The declared default, else a placeholder of the declared type. */
function valueFor(field: InputField): unknown {
  // A file input is a path the extension uploads; the user points it at a real file.
  if (field.fileInput === 'single') return { $file: './file.pdf' };
  if (field.fileInput === 'list') return [{ $file: './file.pdf' }];
  if (field.default !== undefined && isJsonValue(field.default)) return field.default;
  if (field.options && field.options.length > 0) return field.options[0];
  return placeholderFor(field.type);
}

function placeholderFor(type: string): unknown {
  const t = type.toLowerCase();
  if (/^(number|integer|int|float|double|decimal|long)$/.test(t)) return 0;
  if (/^(boolean|bool|checkbox)$/.test(t)) return false;
  if (/^(array|list|file-list|files)$/.test(t) || t.endsWith('[]')) return [];
  if (/^(object|json|json_object|map|file)$/.test(t)) return {};
  return '';
}

function isJsonValue(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}

/** JSON text of a value; nested lines indented to sit under their key. */
function renderValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) return Array.isArray(value) ? '[]' : '{}';
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

/** Comments are single lines: a newline in a label would end the comment and break the file. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}
