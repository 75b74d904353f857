// The CLI finds its translations itself: the locale of the environment, the bundle file of the
// extension folder next to dist/, English when there is none.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { bundleCandidates, configureCliLocale, localeFromEnv, readCliBundle } from '../../src/cli/locale';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wr-cli-locale-'));
const dist = path.join(root, 'dist');
const l10nDir = path.join(root, 'l10n');
fs.mkdirSync(dist);
fs.mkdirSync(l10nDir);
after(() => {
  l10n.config({ contents: {} });
  fs.rmSync(root, { recursive: true, force: true });
});

describe('CLI locale', () => {
  it('reads the locale from WORKFLOW_RUNS_LOCALE, then LC_ALL, LC_MESSAGES, LANG', () => {
    assert.equal(localeFromEnv({ LANG: 'de_DE.UTF-8' }), 'de-de');
    assert.equal(localeFromEnv({ LANG: 'de_DE.UTF-8', LC_ALL: 'fr_FR@euro' }), 'fr-fr');
    assert.equal(localeFromEnv({ LANG: 'de_DE', WORKFLOW_RUNS_LOCALE: 'qps-ploc' }), 'qps-ploc');
    assert.equal(localeFromEnv({ LANG: 'C.UTF-8' }), undefined);
    assert.equal(localeFromEnv({ LC_ALL: 'POSIX' }), undefined);
    assert.equal(localeFromEnv({}), undefined);
  });

  it('tries the region, then the language', () => {
    assert.deepEqual(bundleCandidates('/x', 'pt-br').map((file) => path.basename(file)), ['bundle.l10n.pt-br.json', 'bundle.l10n.pt.json']);
    assert.deepEqual(bundleCandidates('/x', 'de').map((file) => path.basename(file)), ['bundle.l10n.de.json']);
  });

  it('ignores a missing or unreadable bundle (English stays)', () => {
    assert.equal(readCliBundle(l10nDir, 'xx'), undefined);
    fs.writeFileSync(path.join(l10nDir, 'bundle.l10n.yy.json'), '{ not json');
    assert.equal(readCliBundle(l10nDir, 'yy'), undefined);
    assert.equal(configureCliLocale(dist, { LANG: 'yy_YY.UTF-8' }), undefined);
    assert.equal(l10n.t('Usage:'), 'Usage:');
  });

  it('translates with the bundle of l10n/ next to dist/', () => {
    fs.writeFileSync(path.join(l10nDir, 'bundle.l10n.de.json'), JSON.stringify({ 'Usage:': 'Aufruf:', 'Unexpected error: {0}': 'Unerwarteter Fehler: {0}' }));
    assert.equal(configureCliLocale(dist, { LANG: 'de_AT.UTF-8' }), 'de-at');
    assert.equal(l10n.t('Usage:'), 'Aufruf:');
    assert.equal(l10n.t('Unexpected error: {0}', 'x'), 'Unerwarteter Fehler: x');
  });
});
