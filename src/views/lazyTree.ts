// A TreeDataProvider that stands in for the real one until the services are built: the view is
// registered at activation, but nothing heavy loads until the view asks for its first rows.
import * as vscode from 'vscode';

export class LazyTreeDataProvider<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<T | T[] | undefined | null | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private real: vscode.TreeDataProvider<T> | undefined;
  private loading: Promise<vscode.TreeDataProvider<T>> | undefined;
  private forward: vscode.Disposable | undefined;

  constructor(private readonly load: () => Promise<vscode.TreeDataProvider<T>>) {}

  async getChildren(element?: T): Promise<T[]> {
    const real = await this.resolve();
    return (await real.getChildren(element)) ?? [];
  }

  getTreeItem(element: T): vscode.TreeItem | Thenable<vscode.TreeItem> {
    // Elements only come from the real provider, so it exists by now.
    return this.real!.getTreeItem(element);
  }

  getParent(element: T): vscode.ProviderResult<T> {
    return this.real?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: T, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forward?.dispose();
    this.changed.dispose();
  }

  private resolve(): Promise<vscode.TreeDataProvider<T>> {
    this.loading ??= this.load().then((real) => {
      this.real = real;
      this.forward = real.onDidChangeTreeData?.((element) => this.changed.fire(element));
      return real;
    });
    return this.loading;
  }
}
