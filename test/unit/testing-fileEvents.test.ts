// The Testing view's reading of file events: a deleted folder takes every test below it (and only
// those), and created paths are reduced to the folders worth looking into.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { foldersToScan, isIgnoredPath, isSameOrUnder } from '../../src/testing/fileEvents';

describe('Testing view file events', () => {
  it('a folder holds what is below it by whole segments', () => {
    assert.ok(isSameOrUnder('file:///w/tests/a.payload.json', 'file:///w/tests'));
    assert.ok(isSameOrUnder('file:///w/tests/deep/b.payload.json', 'file:///w/tests/'));
    assert.ok(isSameOrUnder('file:///w/tests', 'file:///w/tests'), 'a file deleted is its own test');
    assert.ok(!isSameOrUnder('file:///w/tests-old/a.payload.json', 'file:///w/tests'), 'a sibling with a longer name is not inside');
    assert.ok(!isSameOrUnder('file:///w/test', 'file:///w/tests'));
  });

  it('created paths: only the topmost folders, without payload files or node_modules', () => {
    const created = [
      'file:///w/moved/sub/deep',
      'file:///w/moved',
      'file:///w/moved/sub',
      'file:///w/moved/x.payload.json',
      'file:///w/other',
      'file:///w/other-two',
      'file:///w/node_modules/pkg',
      'file:///w/lib/node_modules',
      'file:///w/moved',
    ];
    assert.deepEqual(foldersToScan(created), ['file:///w/moved', 'file:///w/other', 'file:///w/other-two']);
    assert.ok(isIgnoredPath('/w/node_modules/a') && isIgnoredPath('/w/node_modules') && !isIgnoredPath('/w/my_node_modules_notes'));
  });

  it('stays quick for a build that writes thousands of files', () => {
    const created = Array.from({ length: 20_000 }, (_, index) => `file:///w/dist/chunk${index % 50}/file${index}.js`);
    created.push('file:///w/dist');
    const started = performance.now();
    assert.deepEqual(foldersToScan(created), ['file:///w/dist']);
    assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
  });
});
