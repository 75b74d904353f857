// Entry point of the run details page (bundled to dist/webview.js). Says `ready`, then renders
// every `state` the host posts; remembers its run with setState so the panel survives a reload.
import { parseHostMessage, type PageCommand } from '../protocol';
import type { TaskActions } from './taskDetail';
import { vscodeApi } from './vscodeApi';
import { missingView, RunDetailsView } from './view';
import { configureFromPage } from '../../util/l10n';

// Before the first string is rendered: the host put the display language's bundle on <body>.
configureFromPage(document.body);

const root = document.getElementById('app') ?? document.body;
const send = (command: PageCommand): void => vscodeApi.postMessage({ type: 'command', command });
const taskActions: TaskActions = {
  copy: (taskId, field) => vscodeApi.postMessage({ type: 'copyTaskField', taskId, field }),
  rerunTask: (taskId) => vscodeApi.postMessage({ type: 'taskCommand', command: 'rerunTask', taskId }),
};

let view: RunDetailsView | undefined;
/** The run `view` was built for (connection and run id). */
let viewRun = '';
/** Host clock − page clock: durations tick in the host's time (code-server runs them apart). */
let clockOffset = 0;
let ticker: ReturnType<typeof setInterval> | undefined;
const hostNow = (): number => Date.now() + clockOffset;

function setTicking(on: boolean): void {
  if (on && ticker === undefined) ticker = setInterval(() => view?.tick(hostNow()), 1000);
  if (!on && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`Workflow Runs: ignored a message that does not fit the protocol (${parsed.error}).`);
    return;
  }
  const message = parsed.value;
  root.removeAttribute('aria-busy');
  if (message.type === 'missing') {
    view = undefined;
    setTicking(false);
    vscodeApi.setState({ connection: message.connection, runId: message.runId });
    root.replaceChildren(missingView(message.connection, message.runId));
    return;
  }
  clockOffset = message.now - Date.now();
  const firstState = !view;
  // Another run in this panel (the host reuses a panel whose run ended): a fresh view, so nothing
  // opened or scrolled in the last run carries over.
  const run = `${message.run.connection}\n${message.run.runId}`;
  if (!view || viewRun !== run) {
    view = new RunDetailsView(send, taskActions);
    viewRun = run;
    root.replaceChildren(view.element);
  }
  view.update(message.run, hostNow());
  // For profiling (the UI harness reads it): when this page first showed its run.
  if (firstState) performance.mark('workflowRuns:first-state');
  if (message.revealTask) view.revealTask(message.revealTask);
  vscodeApi.setState({ connection: message.run.connection, runId: message.run.runId });
  setTicking(message.run.inFlight);
});

vscodeApi.postMessage({ type: 'ready' });
