// The Testing view follows the workspace's files as the user moves them about, from a terminal or
// another tool (real file-system events, not the editor's own): a folder deleted takes its tests
// with it, a folder or a file renamed moves its tests, a folder copied in brings its tests.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventually } from '../../helpers/eventually';
import type { WorkflowRunsApi } from '../../../src/extension';
import { hostFixture, names } from './fixture';

suite('Testing view: folders and files deleted, renamed, copied', function () {
  this.timeout(60_000);
  let root: string;
  const uriOf = (...parts: string[]) => vscode.Uri.file(path.join(root, ...parts)).toString();
  const write = (relative: string, expect = true) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `{ "$workflow": "${names.zuora}/19027"${expect ? ', "$expect": { "status": "succeeded" }' : ''} }\n`);
  };

  suiteSetup(async () => {
    await hostFixture();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host tests open a workspace folder');
    root = path.join(folder.uri.fsPath, 'moving');
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root);
  });

  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a deleted folder takes its tests with it; a renamed folder or file moves them; a folder copied in is found', async () => {
    const api = await vscode.extensions.getExtension<WorkflowRunsApi>('workflow-runs.workflow-runs')!.activate();
    const tests = await api.payloadTests();
    await tests.resolveAll();
    const has = (...ids: string[]) => (items: string[]) => ids.every((id) => items.includes(id));
    const lacks = (...ids: string[]) => (items: string[]) => ids.every((id) => !items.includes(id));
    // The tests below this suite's folder, as a list: a timeout then shows what the view held.
    const mine = () => [...tests.items().keys()].filter((id) => id.startsWith(uriOf()));
    // The OS watcher takes a new folder in asynchronously, and a folder made inside one it has not
    // taken in yet is never watched (what a terminal does to a folder a moment old is then never
    // reported). So each folder this test changes is first shown to be watched: probe files, until
    // one is seen through the watcher (discovery is over), then the folders below it are made.
    const settle = async (folder: string) => {
      const probes: string[] = [];
      for (let attempt = 0; ; attempt++) {
        const probe = path.join(folder, `probe${attempt}.payload.json`);
        probes.push(probe);
        write(probe);
        const seen = await eventually(mine, { until: has(uriOf(probe)), timeoutMs: 1000, what: `the watcher to see ${probe}` }).then(() => true, () => false);
        if (seen) break;
        assert.ok(attempt < 10, `the watcher never took in ${folder || 'the folder'}`);
      }
      for (const probe of probes) fs.rmSync(path.join(root, probe));
      await eventually(mine, { until: lacks(uriOf(probes.at(-1)!)), what: 'the seen probe to go' });
    };
    await settle('');
    write('keep/k.payload.json');
    write('gone/deep/g1.payload.json');
    write('gone/g2.payload.jsonc');
    write('gone-not/n.payload.json');
    write('renamed-from/r.payload.json');
    await eventually(mine, {
      until: has(uriOf('keep/k.payload.json'), uriOf('gone/deep/g1.payload.json'), uriOf('gone/g2.payload.jsonc'), uriOf('gone-not/n.payload.json'), uriOf('renamed-from/r.payload.json')),
      what: 'the payload tests of folders made in the workspace to be found',
    });
    await settle('keep');

    // A folder deleted from a terminal: one event for the folder, and every test below it goes.
    fs.rmSync(path.join(root, 'gone'), { recursive: true });
    const afterDelete = await eventually(mine, { until: lacks(uriOf('gone/deep/g1.payload.json'), uriOf('gone/g2.payload.jsonc')), what: 'the deleted folder\'s tests to go' });
    assert.ok(afterDelete.includes(uriOf('gone-not/n.payload.json')), 'a sibling folder whose name starts the same stays');
    assert.ok(afterDelete.includes(uriOf('keep/k.payload.json')));
    assert.equal(tests.testItem(uriOf('gone/deep/g1.payload.json')), undefined);

    // A folder renamed: its test moves to the new path.
    fs.renameSync(path.join(root, 'renamed-from'), path.join(root, 'renamed-to'));
    await eventually(mine, { until: (items) => has(uriOf('renamed-to/r.payload.json'))(items) && lacks(uriOf('renamed-from/r.payload.json'))(items), what: 'the renamed folder\'s test to move' });

    // A file renamed: the test follows it.
    fs.renameSync(path.join(root, 'keep/k.payload.json'), path.join(root, 'keep/k2.payload.json'));
    await eventually(mine, { until: (items) => has(uriOf('keep/k2.payload.json'))(items) && lacks(uriOf('keep/k.payload.json'))(items), what: 'the renamed file\'s test to move' });

    // A folder moved in: made next to it, then moved under it in one step (one event for the folder).
    const outside = fs.mkdtempSync(path.join(path.dirname(root), '.incoming-'));
    fs.mkdirSync(path.join(outside, 'nested'));
    fs.writeFileSync(path.join(outside, 'nested', 'c.payload.json'), `{ "$workflow": "${names.zuora}/19027", "$expect": { "status": "succeeded" } }\n`);
    fs.renameSync(outside, path.join(root, 'copied'));
    await eventually(mine, { until: has(uriOf('copied/nested/c.payload.json')), what: 'the tests of a folder moved in to be found' });

    fs.rmSync(path.join(root, 'copied'), { recursive: true });
    await eventually(mine, { until: lacks(uriOf('copied/nested/c.payload.json')), what: 'the copied folder\'s test to go' });
  });
});
