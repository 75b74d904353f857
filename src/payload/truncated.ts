// A payload file holding a `{"$truncated": true}` marker (what "Open Inputs as Payload File" writes
// where the run history kept only the start of a value) is not sent: the marker would reach the
// platform in place of the value. The rule is ../runs/truncatedInputs.ts's; this places it in the
// file, on the marker, so the Problems panel shows where a value must be restored.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import * as l10n from '@vscode/l10n';
import { nodeValue, payloadErrorAt, type PayloadError } from './parse';
import { formatValuePath, truncatedLocations } from '../runs/truncatedInputs';

/** The first marker in the document (anywhere: inputs, `$options`, the root itself), as a payload error. */
export function truncatedValueError(text: string): PayloadError | undefined {
  // Most files never hold one: no parse on every keystroke for them.
  if (!text.includes('"$truncated"')) return undefined;
  const root = parseTree(text);
  if (!root) return undefined;
  const [first] = truncatedLocations(nodeValue(root), 1);
  if (!first) return undefined;
  const marker = findNodeAtLocation(root, first);
  if (!marker) return undefined;
  const bytes = (nodeValue(marker) as { bytes?: unknown }).bytes;
  const where = formatValuePath(first, l10n.t('the inputs'));
  const message =
    typeof bytes === 'number'
      ? l10n.t('The run history kept only the start of {0} ({1} bytes) to fit its size limit: replace this "$truncated" marker with the full value. Nothing is sent while it is here.', where, bytes)
      : l10n.t('The run history kept only the start of {0} to fit its size limit: replace this "$truncated" marker with the full value. Nothing is sent while it is here.', where);
  // On the `"$truncated": true` entry: the whole marker may span many lines of preview.
  const flag = findNodeAtLocation(marker, ['$truncated'])?.parent ?? marker;
  return payloadErrorAt(text, message, { offset: flag.offset, length: flag.length });
}
