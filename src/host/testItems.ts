// The Testing view's items: every `*.payload.json(c)` holding `$expect` in the workspace, grouped
// by folder, found when the view first asks and kept current from then on — edits (after a pause
// in typing), saves, files created, changed, deleted or renamed, and folders deleted, moved or
// copied in (one file-system event for the folder itself, nothing for the files in it).
import * as vscode from 'vscode';
import { disposeAll } from '../util/lifecycle';
import { readExpect } from '../testing/locate';
import { isPayloadFileName, splitRelativePath } from '../testing/results';
import { foldersToScan, isIgnoredPath, isSameOrUnder } from '../testing/fileEvents';
import { toRange } from './testReport';

const payloadGlob = '**/*.payload.{json,jsonc}';
const excluded = '**/node_modules/**';
/** Bounds on discovery: a workspace with more payload files, or a bigger one, is not a test suite we read whole. */
const maxFiles = 5_000;
const maxFileBytes = 2 * 1024 * 1024;
/** Edits are re-read after a pause in typing, not on every keystroke. */
const editDelayMs = 300;
/** Created paths are looked at together after a pause: a folder copied in is one look, not one per event. */
const createdDelayMs = 300;
/** More new folders than this at once (a checkout, an unpacked archive): one look at the whole workspace instead. */
const maxFolderScans = 20;
/** Created paths remembered between looks; past it, the next look is at the whole workspace. */
const maxPendingCreated = 10_000;

export class PayloadTestItems implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private discovered: Promise<void> | undefined;
  private readonly editTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly created = new Set<string>();
  private createdOverflow = false;
  private createdTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly controller: vscode.TestController) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.documentEdited(event.document)),
      // Closing without saving drops the edits: the file on disk counts again.
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (isPayloadFileName(document.uri.path) && document.uri.scheme === 'file') void this.updateFromDisk(document.uri);
      }),
      {
        dispose: () => {
          this.editTimers.forEach((timer) => clearTimeout(timer));
          clearTimeout(this.createdTimer);
        },
      },
    );
  }

  dispose(): void {
    disposeAll(this.disposables);
  }

  resolveAll(): Promise<void> {
    this.discovered ??= this.discover();
    return this.discovered;
  }

  /** A payload document was opened before the Testing view looked: its ▶ shows in the gutter at once. */
  documentOpened(document: vscode.TextDocument): void {
    if (this.isCandidate(document.uri)) this.update(document.uri, document.getText());
  }

  /** Every test as `id → label`. */
  items(): Map<string, string> {
    const all = new Map<string, string>();
    this.controller.items.forEach((folder) => folder.children.forEach((file) => all.set(file.id, file.label)));
    return all;
  }

  testItem(id: string): vscode.TestItem | undefined {
    let found: vscode.TestItem | undefined;
    this.controller.items.forEach((folder) => (found ??= folder.children.get(id)));
    return found;
  }

  private async discover(): Promise<void> {
    // Changes of payload files come from a watcher of their names; creations and deletions from one
    // of every path, because a folder deleted or moved is a single event for the folder, which a
    // watcher of payload names never sees.
    const payloadFiles = vscode.workspace.createFileSystemWatcher(payloadGlob, true, false, true);
    const paths = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      payloadFiles,
      paths,
      payloadFiles.onDidChange((uri) => void this.updateFromDisk(uri)),
      paths.onDidCreate((uri) => this.pathCreated(uri)),
      paths.onDidDelete((uri) => this.removeUnder(uri)),
    );
    await this.scan(undefined);
  }

  /** Reads the payload files of a folder (or of the whole workspace), bounded. */
  private async scan(folder: vscode.Uri | undefined): Promise<void> {
    const files = await vscode.workspace.findFiles(folder ? new vscode.RelativePattern(folder, payloadGlob) : payloadGlob, excluded, maxFiles);
    await Promise.all(files.map((uri) => this.updateFromDisk(uri)));
  }

  private pathCreated(uri: vscode.Uri): void {
    if (isPayloadFileName(uri.path)) {
      void this.updateFromDisk(uri);
      return;
    }
    if (uri.scheme !== 'file' || isIgnoredPath(uri.path)) return;
    if (this.created.size < maxPendingCreated) this.created.add(uri.toString());
    else this.createdOverflow = true;
    this.createdTimer ??= setTimeout(() => void this.lookAtCreated(), createdDelayMs);
  }

  /** Of the paths created since the last look, the folders are read for payload files. */
  private async lookAtCreated(): Promise<void> {
    this.createdTimer = undefined;
    const folders = foldersToScan(this.created);
    const overflow = this.createdOverflow;
    this.created.clear();
    this.createdOverflow = false;
    if (overflow || folders.length > maxFolderScans) return this.scan(undefined);
    await Promise.all(
      folders.map(async (text) => {
        const uri = vscode.Uri.parse(text);
        const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
        if (stat && stat.type & vscode.FileType.Directory) await this.scan(uri);
      }),
    );
  }

  private isCandidate(uri: vscode.Uri): boolean {
    return isPayloadFileName(uri.path) && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  }

  private documentEdited(document: vscode.TextDocument): void {
    if (!this.isCandidate(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.editTimers.get(key));
    this.editTimers.set(
      key,
      setTimeout(() => {
        this.editTimers.delete(key);
        this.update(document.uri, document.getText());
      }, editDelayMs),
    );
  }

  private async updateFromDisk(uri: vscode.Uri): Promise<void> {
    if (!this.isCandidate(uri)) return;
    // An open document's text is what a run would send, saved or not.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) return this.update(uri, open.getText());
    try {
      if ((await vscode.workspace.fs.stat(uri)).size > maxFileBytes) return this.removeUnder(uri);
      this.update(uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      this.removeUnder(uri);
    }
  }

  /** Adds, updates or (when it holds no `$expect`) removes the file's test item. */
  private update(uri: vscode.Uri, text: string): void {
    const read = readExpect(text);
    if (!read.present) return this.removeUnder(uri);
    const { folder, name } = splitRelativePath(vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1));
    const folderId = `folder:${folder}`;
    let folderItem = this.controller.items.get(folderId);
    if (!folderItem) {
      folderItem = this.controller.createTestItem(folderId, folder === '' ? vscode.l10n.t('(workspace root)') : folder);
      this.controller.items.add(folderItem);
    }
    let item = folderItem.children.get(uri.toString());
    if (!item) {
      item = this.controller.createTestItem(uri.toString(), name, uri);
      folderItem.children.add(item);
    }
    // The ▶ in the gutter and the results sit on the `$expect` key.
    item.range = toRange(read.location.key);
    item.error = read.problems[0]?.message;
  }

  /** Removes the test of a file, or every test below a folder; a folder left empty goes too. */
  private removeUnder(uri: vscode.Uri): void {
    const path = uri.toString();
    const emptied: string[] = [];
    this.controller.items.forEach((folder) => {
      const gone: string[] = [];
      folder.children.forEach((file) => {
        if (isSameOrUnder(file.id, path)) gone.push(file.id);
      });
      for (const id of gone) folder.children.delete(id);
      if (gone.length > 0 && folder.children.size === 0) emptied.push(folder.id);
    });
    for (const id of emptied) this.controller.items.delete(id);
  }
}
