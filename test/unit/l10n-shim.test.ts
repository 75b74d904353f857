// src/util/l10n.ts: how code without `vscode` (client, providers, the run details page) gets the
// bundle VS Code loaded, from the host and, through the page's HTML, in the webview.
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { bundleForPage, configureFromHost, configureFromPage, pageBundleAttribute, parseBundle } from '../../src/util/l10n';
import { renderShell } from '../../src/webview/html';

const pseudo = { 'Run {0} failed': 'Řŭŭƞ {0} ƒȧȧīŀḗḗḓ', 'Stop/the button': { message: 'Şŧǿǿƥ', comment: ['the button'] } };

/** The page's `<body>` as renderShell wrote it: only getAttribute is needed. */
function bodyOf(html: string): { getAttribute(name: string): string | null } {
  const tag = /<body([^>]*)>/.exec(html)?.[1] ?? '';
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([\w-]+)="([^"]*)"/g)) {
    attributes.set(match[1], match[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  return { getAttribute: (name) => attributes.get(name) ?? null };
}

const shell = (l10nBundle?: string) =>
  renderShell({ cspSource: 'https://cdn', scriptUri: 'https://cdn/webview.js', styleUri: 'https://cdn/webview.css', nonce: 'n', l10nBundle });

describe('l10n shim', () => {
  afterEach(() => configureFromHost(undefined));

  it('host: @vscode/l10n translates with the bundle VS Code loaded, and formats English without one', () => {
    assert.equal(l10n.t('Run {0} failed', 'r-1'), 'Run r-1 failed');
    configureFromHost(pseudo);
    assert.equal(l10n.t('Run {0} failed', 'r-1'), 'Řŭŭƞ r-1 ƒȧȧīŀḗḗḓ');
    assert.equal(l10n.t({ message: 'Stop', comment: ['the button'] }), 'Şŧǿǿƥ');
    configureFromHost(undefined);
    assert.equal(l10n.t('Run {0} failed', 'r-1'), 'Run r-1 failed');
  });

  it('page: the bundle travels in the HTML and configures the page before it renders', () => {
    const html = shell(bundleForPage(pseudo));
    assert.ok(html.includes(`<body ${pageBundleAttribute}="{&quot;Run {0} failed`), html);
    configureFromPage(bodyOf(html));
    assert.equal(l10n.t('Run {0} failed', 'r-2'), 'Řŭŭƞ r-2 ƒȧȧīŀḗḗḓ');
  });

  it('page: no bundle (English) means no attribute and English strings', () => {
    assert.equal(bundleForPage(undefined), undefined);
    assert.equal(bundleForPage({}), undefined);
    const html = shell(undefined);
    assert.ok(html.includes('<body>'));
    configureFromPage(bodyOf(html));
    assert.equal(l10n.t('Run {0} failed', 'r-3'), 'Run r-3 failed');
  });

  it('a bundle cannot break out of its attribute', () => {
    const html = shell(bundleForPage({ 'a"><script>alert(1)</script>': '"><img src=x>' }));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.deepEqual(parseBundle(bodyOf(html).getAttribute(pageBundleAttribute)!), { 'a"><script>alert(1)</script>': '"><img src=x>' });
  });

  it('refuses what is not a bundle rather than applying half of it', () => {
    for (const text of ['', 'not json', '[]', 'null', '"x"', '{"a": 1}', '{"a": {"message": "m"}}']) {
      assert.equal(parseBundle(text), undefined, text);
    }
    configureFromPage({ getAttribute: () => '{"Run {0} failed": 3}' });
    assert.equal(l10n.t('Run {0} failed', 'r-4'), 'Run r-4 failed');
  });
});
