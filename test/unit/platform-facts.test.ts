// Platform facts live on the platform's descriptor: nothing outside src/providers/<platform>/
// compares a platform id, and the facts themselves say what the code used to hard-wire.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { platforms } from '../../src/providers/registry';
import { zuoraDescriptor, zuoraModeReadsRuns, zuoraSettingsForBaseUrl } from '../../src/providers/zuora/descriptor';
import { reservedParameterNames } from '../../src/providers/zuora/mapping';

const srcRoot = join(__dirname, '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no platform id is compared outside its own folder', () => {
  const ids = platforms.map((platform) => platform.id).join('|');
  const comparison = new RegExp(`[!=]==?\\s*['"\`](${ids})['"\`]|['"\`](${ids})['"\`]\\s*[!=]==?|case\\s+['"\`](${ids})['"\`]`);
  const offenders: string[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const path = relative(srcRoot, file).split(sep).join('/');
    const owner = /^providers\/([^/]+)\//.exec(path)?.[1];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const match = comparison.exec(line);
        if (match && !(owner && match.slice(1).includes(owner))) offenders.push(`src/${path}:${index + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, [], 'ask the descriptor (src/providers/<platform>/descriptor.ts) instead');
});

test('Zuora: /v2 means the quickstart API; only OAuth reads runs; reserved names are shared with the template filter', () => {
  assert.deepEqual(zuoraSettingsForBaseUrl('https://rest.zuora.com/v2'), { api: 'quickstart' });
  assert.deepEqual(zuoraSettingsForBaseUrl('https://rest.zuora.com/v2/'), { api: 'quickstart' });
  assert.deepEqual(zuoraSettingsForBaseUrl('https://rest.zuora.com'), {});
  assert.equal(zuoraModeReadsRuns('oauth'), true);
  assert.equal(zuoraModeReadsRuns('apiToken'), false);
  assert.equal(zuoraModeReadsRuns('basic'), false);
  assert.deepEqual([...reservedParameterNames], [...(zuoraDescriptor.reservedInputs?.names ?? [])]);
  assert.ok(reservedParameterNames.has('user_email'));
});

test('every platform hints at its $options in new payload files', () => {
  for (const platform of platforms) assert.ok((platform.optionsHint ?? []).length > 0, platform.id);
});
