// The page's header: workflow name, status badge, the run's facts (ids, times, live duration,
// metrics) and the action buttons.
import { formatDuration } from '../../util/format';
import { displayDurationMs, metricRows, statusLooks } from '../display';
import type { PageCommand, RunView } from '../protocol';
import { formatTimestamp, h, setAttribute, setText } from './dom';
import { FactList, type Fact } from './facts';
import * as l10n from '@vscode/l10n';

const durationLabel = (): string => l10n.t('Duration');

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
    this.rerun = button('rerun', l10n.t('↻ Re-run'), l10n.t('Re-run this workflow with the same inputs'), true);
    this.stop = button('stop', l10n.t('■ Stop'), l10n.t('Stop this run'));
    // Shown only when the host says the platform allows it (capability flags in the state).
    this.retry = button('retryRun', l10n.t('↻ Retry run'), l10n.t('Retry run: the platform runs this failed run again'));
    this.openInputs = button('openInputsAsPayload', l10n.t('Open inputs as payload'), l10n.t('Open inputs as payload file, to edit and run again'));
    const actions = h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': l10n.t('Run actions') },
      this.rerun,
      this.stop,
      this.retry,
      this.openInputs,
      button('compareWith', l10n.t('Compare with…'), l10n.t('Compare with another run')),
      button('refresh', l10n.t('Refresh'), l10n.t('Refresh this run from the platform')),
      button('copyRunId', l10n.t('Copy run ID'), l10n.t('Copy run ID to the clipboard')),
      button('openLog', l10n.t('Show log'), l10n.t('Show log of Workflow Runs')),
    );
    this.element = h('header', { class: 'header' }, h('div', { class: 'title-row' }, this.title, this.badge), this.facts.element, actions);
  }

  update(run: RunView, now: number): void {
    this.run = run;
    const look = statusLooks[run.status];
    setText(this.title, run.workflowLabel);
    setAttribute(this.title, 'title', run.workflowId === run.workflowLabel ? undefined : l10n.t('Workflow ID: {0}', run.workflowId));
    setText(this.glyph, look.glyph);
    setText(this.statusLabel, look.label);
    setAttribute(this.badge, 'class', `badge tone-${look.tone}${run.inFlight ? ' in-flight' : ''}`);
    setAttribute(this.badge, 'title', run.platformStatus ? l10n.t({ message: '{0} ({1})', args: [look.label, run.platformStatus], comment: ['{0} is a status in the extension\'s words, {1} the platform\'s own word for it.'] }) : look.label);
    this.facts.update(this.factsOf(run, now));
    this.rerun.disabled = !run.canRerun;
    // A disabled button still shows its tooltip: the one place that says why Re-run is off.
    setAttribute(this.rerun, 'title', run.rerunNote);
    this.stop.disabled = !run.canStop;
    this.retry.hidden = !run.canRetry;
    this.openInputs.hidden = !run.canOpenInputs;
  }

  /** Once a second while in flight: only the duration moves. */
  tick(now: number): void {
    const value = this.facts.valueOf(durationLabel());
    if (this.run && value) setText(value, formatDuration(displayDurationMs(this.run, now)) || '—');
  }

  private factsOf(run: RunView, now: number): Fact[] {
    const facts: Fact[] = [
      { label: l10n.t('Connection'), value: run.connection },
      { label: l10n.t('Platform'), value: run.platformLabel },
      { label: l10n.t('Run ID'), value: run.runId, code: true },
    ];
    if (run.platformStatus) facts.push({ label: l10n.t('Platform status'), value: run.platformStatus });
    const started = run.startedAt ?? run.createdAt;
    facts.push(
      started !== undefined
        ? { label: l10n.t('Started'), value: formatTimestamp(started), title: new Date(started).toISOString() }
        : { label: l10n.t('Triggered'), value: formatTimestamp(run.triggeredAt), title: new Date(run.triggeredAt).toISOString() },
    );
    if (run.finishedAt !== undefined) {
      facts.push({ label: l10n.t('Finished'), value: formatTimestamp(run.finishedAt), title: new Date(run.finishedAt).toISOString() });
    }
    facts.push({ label: durationLabel(), value: formatDuration(displayDurationMs(run, now)) || '—' });
    for (const [label, value] of metricRows(run.metrics)) facts.push({ label, value });
    return facts;
  }
}
