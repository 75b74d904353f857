// Builds the two tree providers, the status bar item and the in-flight ticker with the services,
// and wires them together. The TreeViews themselves are created at activation (extension.ts, with
// lazy stand-ins) and handed over through `attach`; commands reach the trees through `control`.
import type * as vscode from 'vscode';
import type { Services, ViewsControl } from '../services';
import { RunsTreeProvider } from './runsTree';
import { RunsStatusBar } from './statusBar';
import { InFlightTicker } from './ticker';
import { WorkflowsTreeProvider } from './workflowsTree';
import { disposeAll } from '../util/lifecycle';

export interface Trees extends vscode.Disposable {
  workflows: WorkflowsTreeProvider;
  runs: RunsTreeProvider;
  statusBar: RunsStatusBar;
  ticker: InFlightTicker;
  control: ViewsControl;
  /** Gives the trees their views: ticking only where visible, the filter in the Runs view's description. */
  attach(workflowsView: vscode.TreeView<unknown>, runsView: vscode.TreeView<unknown>): void;
}

export function createTrees(services: Pick<Services, 'connections' | 'providers' | 'store' | 'log' | 'runs'>): Trees {
  const ticker = new InFlightTicker(services.store);
  const workflows = new WorkflowsTreeProvider(services);
  const runs = new RunsTreeProvider(services.store);
  const statusBar = new RunsStatusBar(services.store, ticker.onDidTick);
  const disposables: Array<{ dispose(): void }> = [];
  let views: { workflows: vscode.TreeView<unknown>; runs: vscode.TreeView<unknown> } | undefined;

  // Durations tick only in views someone can see (all, until the views are attached).
  disposables.push(
    ticker.onDidTick(() => {
      if (!views || views.workflows.visible) workflows.tick();
      if (!views || views.runs.visible) runs.tick();
    }),
  );

  const control: ViewsControl = {
    refreshWorkflows: (node) => workflows.refresh(node),
    loadMore: (node) => workflows.loadMore(node),
    setRunsFilter: () => runs.pickFilter(),
  };

  return {
    workflows,
    runs,
    statusBar,
    ticker,
    control,
    attach(workflowsView, runsView) {
      views = { workflows: workflowsView, runs: runsView };
      disposables.push(
        // A view shown again catches up at once instead of at the next tick.
        workflowsView.onDidChangeVisibility((event) => event.visible && workflows.tick()),
        runsView.onDidChangeVisibility((event) => event.visible && runs.tick()),
        runs.bindView(runsView),
        workflows.bindView(workflowsView),
      );
    },
    dispose() {
      // The ticker first, so no tick reaches a disposed tree.
      ticker.dispose();
      disposeAll(disposables);
      statusBar.dispose();
      workflows.dispose();
      runs.dispose();
    },
  };
}
