// The page's header: workflow name, status badge, the run's facts (ids, times, live duration,
// metrics) and the action buttons.
import { formatDuration } from '../../util/format';
import { displayDurationMs, metricRows, statusLooks } from '../display';
import type { PageCommand, RunView } from '../protocol';
import { formatTimestamp, h, setAttribute, setText } from './dom';
import { FactList, type Fact } from './facts';

const durationLabel = 'Duration';

export class Header {
  readonly element: HTMLElement;
  private readonly title = h('h1', { class: 'workflow-name' });
  private readonly glyph = h('span', { class: 'glyph', 'aria-hidden': 'true' });
  private readonly statusLabel = h('span', { class: 'status-label' });
  // aria-live: a screen reader hears "Succeeded" when the run ends, without moving focus.
  private readonly badge = h('span', { class: 'badge', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }, this.glyph, this.statusLabel);
  private readonly facts = new FactList();
  private readonly rerun: HTMLButtonElement;
  private readonly stop: HTMLButtonElement;
  private readonly openInputs: HTMLButtonElement;
  private readonly retry: HTMLButtonElement;
  private run: RunView | undefined;

  constructor(send: (command: PageCommand) => void) {
    // Each accessible name starts with the visible text, so voice control ("click Stop") works.
    const button = (command: PageCommand, text: string, label: string, primary = false): HTMLButtonElement => {
      const element = h('button', { type: 'button', class: primary ? 'primary' : 'secondary', 'aria-label': label, 'data-command': command }, text);
      element.addEventListener('click', () => send(command));
      return element;
    };
    this.rerun = button('rerun', '↻ Re-run', 'Re-run this workflow with the same inputs', true);
    this.stop = button('stop', '■ Stop', 'Stop this run');
    // Shown only when the host says the platform allows it (capability flags in the state).
    this.retry = button('retryRun', '↻ Retry run', 'Retry run: the platform runs this failed run again');
    this.openInputs = button('openInputsAsPayload', 'Open inputs as payload', 'Open inputs as payload file, to edit and run again');
    const actions = h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Run actions' },
      this.rerun,
      this.stop,
      this.retry,
      this.openInputs,
      button('compareWith', 'Compare with…', 'Compare with another run'),
      button('refresh', 'Refresh', 'Refresh this run from the platform'),
      button('copyRunId', 'Copy run ID', 'Copy run ID to the clipboard'),
      button('openLog', 'Show log', 'Show log of Workflow Runs'),
    );
    this.element = h('header', { class: 'header' }, h('div', { class: 'title-row' }, this.title, this.badge), this.facts.element, actions);
  }

  update(run: RunView, now: number): void {
    this.run = run;
    const look = statusLooks[run.status];
    setText(this.title, run.workflowLabel);
    setAttribute(this.title, 'title', run.workflowId === run.workflowLabel ? undefined : `Workflow ID: ${run.workflowId}`);
    setText(this.glyph, look.glyph);
    setText(this.statusLabel, look.label);
    setAttribute(this.badge, 'class', `badge tone-${look.tone}${run.inFlight ? ' in-flight' : ''}`);
    setAttribute(this.badge, 'title', run.platformStatus ? `${look.label} (${run.platformStatus})` : look.label);
    this.facts.update(this.factsOf(run, now));
    this.rerun.disabled = !run.canRerun;
    this.stop.disabled = !run.canStop;
    this.retry.hidden = !run.canRetry;
    this.openInputs.hidden = !run.canOpenInputs;
  }

  /** Once a second while in flight: only the duration moves. */
  tick(now: number): void {
    const value = this.facts.valueOf(durationLabel);
    if (this.run && value) setText(value, formatDuration(displayDurationMs(this.run, now)) || '—');
  }

  private factsOf(run: RunView, now: number): Fact[] {
    const facts: Fact[] = [
      { label: 'Connection', value: run.connection },
      { label: 'Platform', value: run.platformLabel },
      { label: 'Run ID', value: run.runId, code: true },
    ];
    if (run.platformStatus) facts.push({ label: 'Platform status', value: run.platformStatus });
    const started = run.startedAt ?? run.createdAt;
    facts.push(
      started !== undefined
        ? { label: 'Started', value: formatTimestamp(started), title: new Date(started).toISOString() }
        : { label: 'Triggered', value: formatTimestamp(run.triggeredAt), title: new Date(run.triggeredAt).toISOString() },
    );
    if (run.finishedAt !== undefined) {
      facts.push({ label: 'Finished', value: formatTimestamp(run.finishedAt), title: new Date(run.finishedAt).toISOString() });
    }
    facts.push({ label: durationLabel, value: formatDuration(displayDurationMs(run, now)) || '—' });
    for (const [label, value] of metricRows(run.metrics)) facts.push({ label, value });
    return facts;
  }
}
