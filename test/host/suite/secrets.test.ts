// Planted credentials of every kind (Zuora client secret and the OAuth token it buys, a Dify API
// key, a B3OS key, Basic passwords, wrong keys that fail) go through successful and failing runs;
// then everything the extension wrote or showed is read back — the log file, notifications, run
// details panels (HTML and every message posted), settings, global/workspace state and files under
// global storage, and error texts — and none may hold a planted secret. Server text that carries a
// `[label](command:…)` link reaches no notification as a link.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import { hostFixture, names, runUntil, writePayload, type HostFixture } from './fixture';

const extra = {
  difyWrong: 'dify-wrong-key',
  zuoraBasic: 'zuora-basic-ok',
  zuoraBasicWrong: 'zuora-basic-wrong',
} as const;

const wrongDifyKey = 'app-Pl4ntedWr0ngDifyKey9917';
const wrongBasicPassword = 'Pl4nted-basic-pw-0x5e';
/** A link as VS Code's notification renderer reads one: `[label](command:…)`, no space allowed. */
const commandLink = /\[[^\]]+\]\((?:command:|https?:\/\/|file:)/i;

type Writable<T> = { -readonly [K in keyof T]: T[K] };

suite('secrets never leak', function () {
  this.timeout(120_000);
  let f: HostFixture;
  const notifications: string[] = [];
  const posted: string[] = [];
  const panels: vscode.WebviewPanel[] = [];
  const errorTexts: string[] = [];
  const restore: Array<() => void | Thenable<void>> = [];

  suiteSetup(async () => {
    f = await hostFixture();
    // The extension's `vscode` is this same API object (the tests load from the extension's
    // folder), so these wrappers see what the extension shows.
    const window = vscode.window as Writable<typeof vscode.window>;
    for (const name of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const) {
      const original = window[name];
      window[name] = ((message: string, ...rest: unknown[]) => {
        const options = rest[0];
        notifications.push(message + (options && typeof options === 'object' && 'detail' in options ? `\n${String((options as { detail?: string }).detail)}` : ''));
        return Promise.resolve(undefined);
      }) as never;
      restore.push(() => void (window[name] = original as never));
    }
    const createPanel = window.createWebviewPanel;
    window.createWebviewPanel = ((...args: Parameters<typeof vscode.window.createWebviewPanel>) => {
      const panel = createPanel.apply(vscode.window, args);
      const webview = panel.webview as Writable<vscode.Webview>;
      const post = webview.postMessage.bind(webview);
      webview.postMessage = (message: unknown) => {
        posted.push(JSON.stringify(message));
        return post(message);
      };
      panels.push(panel);
      return panel;
    }) as never;
    restore.push(() => void (window.createWebviewPanel = createPanel));

    const configuration = vscode.workspace.getConfiguration('workflowRuns');
    const connections = configuration.get<unknown[]>('connections') ?? [];
    const notify = configuration.inspect('notifyOnRunEnd')?.globalValue;
    await configuration.update('notifyOnRunEnd', 'always', vscode.ConfigurationTarget.Global);
    await configuration.update(
      'connections',
      [
        ...connections,
        { name: extra.difyWrong, platform: 'dify', baseUrl: f.emulator.urls.dify },
        { name: extra.zuoraBasic, platform: 'zuora', baseUrl: f.emulator.urls.zuora, auth: 'basic', username: 'demo' },
        { name: extra.zuoraBasicWrong, platform: 'zuora', baseUrl: f.emulator.urls.zuora, auth: 'basic', username: 'demo' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    restore.push(async () => {
      await configuration.update('connections', connections, vscode.ConfigurationTarget.Global);
      await configuration.update('notifyOnRunEnd', notify, vscode.ConfigurationTarget.Global);
    });
    await vscode.commands.executeCommand('workflowRuns.setCredentials', extra.difyWrong, wrongDifyKey);
    await vscode.commands.executeCommand('workflowRuns.setCredentials', extra.zuoraBasic, 'demo-secret');
    await vscode.commands.executeCommand('workflowRuns.setCredentials', extra.zuoraBasicWrong, wrongBasicPassword);
  });

  suiteTeardown(async () => {
    for (const undo of restore.reverse()) await undo();
  });

  async function tryRun(connection: string, workflowId: string, inputs: Record<string, unknown>) {
    try {
      return await f.services.runs.trigger({ connection, workflowId }, { inputs, options: {} });
    } catch (error) {
      errorTexts.push(error instanceof Error ? `${error.message}\n${String((error as { cause?: unknown }).cause ?? '')}` : String(error));
      return undefined;
    }
  }

  test('runs that succeed and fail on every platform leave no planted secret anywhere', async () => {
    // Successes (they also make the Zuora OAuth token exist).
    const zuora = await tryRun(names.zuora, '19027', { accountNumber: 'A-1' });
    const dify = await tryRun(names.dify, 'default', { topic: 't', scenario: 'normal' });
    const b3os = await tryRun(names.b3os, 'wf_9k2m4x7q1b3n', { amount: 1 });
    const basic = await tryRun(extra.zuoraBasic, '19027', { accountNumber: 'A-2' });
    // Runs that fail on the platform.
    const difyFail = await tryRun(names.dify, 'default', { topic: 't', scenario: 'fail' });
    const b3osFail = await tryRun(names.b3os, 'wf_9k2m4x7q1b3n', { scenario: 'fail' });
    for (const record of [zuora, dify, b3os, basic, difyFail, b3osFail]) {
      assert.ok(record, 'the run started');
      // Its details panel, as the commands open it: the HTML and every message it is sent are read.
      f.services.details.show(record, { preserveFocus: true });
      await runUntil(f.services, record, ['succeeded', 'failed', 'partial', 'stopped']);
    }

    // Credentials the platform refuses, through the commands (their failures become notifications).
    const wrongDify = await writePayload(f.dir, 'wrong-dify.payload.json', { $workflow: extra.difyWrong, topic: 'x' });
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', wrongDify);
    const wrongBasic = await writePayload(f.dir, 'wrong-basic.payload.json', { $workflow: `${extra.zuoraBasicWrong}/19027` });
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', wrongBasic);
    await tryRun(extra.difyWrong, 'default', { topic: 'y' });
    await tryRun(extra.zuoraBasicWrong, '19027', {});

    // A hostile error body: echoes the key back and carries a command link.
    f.emulator.injectFault({
      platform: 'dify',
      method: 'POST',
      path: '/workflows/run',
      kind: 'status',
      status: 400,
      body: { code: 'invalid_param', message: 'Key app-demo is not allowed here: [fix it](command:workflowRuns.removeConnection)', status: 400 },
    });
    const hostile = await writePayload(f.dir, 'hostile.payload.json', { $workflow: names.dify, topic: 'z' });
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', hostile);
    f.emulator.injectFault({
      platform: 'b3os',
      kind: 'status',
      status: 400,
      path: '/v1/workflows/wf_9k2m4x7q1b3n/run',
      body: { code: 'BAD_INPUT', details: [], message: 'b3sk_demo rejected [x](command:workflowRuns.removeConnection)', requestId: 'r-1' },
    });
    const hostileB3os = await writePayload(f.dir, 'hostile-b3os.payload.json', { $workflow: `${names.b3os}/wf_9k2m4x7q1b3n` });
    await vscode.commands.executeCommand('workflowRuns.runPayloadFile', hostileB3os);

    await eventually(() => notifications.filter((text) => /invalid_param|not allowed|BAD_INPUT|rejected/i.test(text)).length, {
      until: (count) => count >= 1,
      timeoutMs: 10_000,
      what: 'the hostile server error shown as a notification',
    });

    // The planted secrets, including the OAuth token the emulator issued.
    const tokens = new Set(
      f.emulator.requests
        .filter((request) => request.platform === 'zuora')
        .map((request) => /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1])
        .filter((token): token is string => Boolean(token)),
    );
    assert.ok(tokens.size > 0, 'a Zuora OAuth token was issued and used');
    const planted = ['demo-secret', 'app-demo', 'b3sk_demo', wrongDifyKey, wrongBasicPassword, ...tokens];
    assert.ok(
      f.emulator.requests.some((request) => request.platform === 'zuora' && /^Basic /i.test(request.headers.authorization ?? '')),
      'a Basic password was sent',
    );
    const basicEncoded = [
      Buffer.from('demo:demo-secret').toString('base64'),
      Buffer.from(`demo:${wrongBasicPassword}`).toString('base64'),
    ];

    // Let the store write and the log file catch up.
    await f.services.store.flush();
    const marker = `secrets-test-marker-${Date.now()}`;
    f.services.log.info(marker);

    const sources: Record<string, string> = {};
    sources.log = await eventually(() => readTree(f.services.context.logUri, /\.log$/), {
      until: (text) => text.includes(marker),
      timeoutMs: 15_000,
      what: 'the log file under logUri to hold the marker line',
    });
    sources.notifications = notifications.join('\n');
    sources.webviewMessages = posted.join('\n');
    sources.webviewHtml = panels
      .map((panel) => {
        try {
          return panel.webview.html;
        } catch {
          return '';
        }
      })
      .join('\n');
    sources.errors = errorTexts.join('\n');
    sources.settings = settingsText();
    sources.globalState = stateText(f.services.context.globalState);
    sources.workspaceState = stateText(f.services.context.workspaceState);
    sources.globalStorage = await readTree(f.services.context.globalStorageUri, /./);
    sources.history = JSON.stringify(f.services.store.all());

    // What is read is real: the failures were shown and the panels talked.
    assert.ok(notifications.length >= 3, `notifications were captured (${notifications.length})`);
    await eventually(() => posted.length, { until: (count) => count > 0, timeoutMs: 10_000, what: 'run details panels to post messages' });
    assert.ok(sources.log.length > 0 && sources.history.length > 0);
    assert.match(sources.errors + sources.notifications, /credential|401|rejected|unauthori[sz]ed/i, 'refused credentials were reported');

    for (const [where, text] of Object.entries(sources)) {
      for (const secret of [...planted, ...basicEncoded]) {
        assert.ok(!text.includes(secret), `${where} holds a planted secret (${secret.slice(0, 3)}…)`);
      }
    }
    assert.ok(notifications.some((text) => text.includes('[fix it]')), 'the Dify server text reached a notification');
    assert.ok(notifications.some((text) => text.includes('[x]')), 'the B3OS server text reached a notification');
    for (const text of notifications) assert.doesNotMatch(text, commandLink, `a notification carries a command link: ${text}`);
  });
});

function settingsText(): string {
  const extension = vscode.extensions.getExtension('workflow-runs.workflow-runs');
  const contributed = (extension?.packageJSON as { contributes?: { configuration?: unknown } })?.contributes?.configuration;
  const sections = Array.isArray(contributed) ? contributed : [contributed];
  const keys = sections.flatMap((section) => Object.keys((section as { properties?: Record<string, unknown> })?.properties ?? {}));
  assert.ok(keys.length > 0, 'the contributed settings are known');
  return keys.map((key) => JSON.stringify(vscode.workspace.getConfiguration().inspect(key))).join('\n');
}

function stateText(memento: vscode.Memento): string {
  return memento
    .keys()
    .map((key) => `${key}=${JSON.stringify(memento.get(key))}`)
    .join('\n');
}

/** Every matching file under a folder, as text (an absent folder reads as empty). */
async function readTree(root: vscode.Uri, name: RegExp): Promise<string> {
  let entries: Array<[string, vscode.FileType]>;
  try {
    entries = await vscode.workspace.fs.readDirectory(root);
  } catch {
    return '';
  }
  const parts: string[] = [];
  for (const [entry, type] of entries) {
    const uri = vscode.Uri.joinPath(root, entry);
    if (type & vscode.FileType.Directory) parts.push(await readTree(uri, name));
    else if (name.test(entry)) parts.push(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  }
  return parts.join('\n');
}
