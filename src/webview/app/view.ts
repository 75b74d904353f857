// The whole page for one run: builds its parts once, then updates them in place on every state
// (buttons keep focus, <pre>s keep their scroll, the find widget keeps its matches).
import type { PageCommand, RunView } from '../protocol';
import { fillSlot, h, setAttribute } from './dom';
import { Header } from './header';
import { ErrorSection, InputsSection, LiveTextSection, OutputsSection, WatchNotice, WatchWarning } from './sections';
import type { TaskActions } from './taskDetail';
import { WaterfallSection } from './waterfall';
import { TaskSection } from './tasks';
import * as l10n from '@vscode/l10n';

export class RunDetailsView {
  /** Carries the contract's `data-run-id` and `data-run-status`: exactly one such element. */
  readonly element: HTMLElement;
  private readonly header: Header;
  private readonly tasks = new TaskSection();
  private readonly warning = new WatchWarning();
  private readonly notice = new WatchNotice();
  private readonly error = new ErrorSection();
  private readonly outputs: OutputsSection;
  private readonly live = new LiveTextSection();
  private readonly timeline: WaterfallSection;
  private readonly inputs = new InputsSection();
  private readonly slots = {
    notice: h('div', { class: 'slot' }),
    warning: h('div', { class: 'slot' }),
    error: h('div', { class: 'slot' }),
    outputs: h('div', { class: 'slot' }),
    live: h('div', { class: 'slot' }),
    timeline: h('div', { class: 'slot' }),
  };

  constructor(send: (command: PageCommand) => void, taskActions: TaskActions) {
    this.header = new Header(send);
    this.timeline = new WaterfallSection(taskActions);
    this.outputs = new OutputsSection(send);
    this.element = h(
      'main',
      { class: 'run' },
      this.header.element,
      this.slots.notice,
      this.slots.warning,
      this.slots.error,
      this.tasks.element,
      this.slots.outputs,
      this.slots.live,
      this.slots.timeline,
      this.inputs.element,
    );
  }

  update(run: RunView, now: number): void {
    setAttribute(this.element, 'data-run-id', run.runId);
    setAttribute(this.element, 'data-run-status', run.status);
    this.header.update(run, now);
    this.tasks.update(run.tasks);
    this.optional(this.slots.notice, this.notice, run.watchNote);
    // While the platform asked to wait, the note says it all; a failure while slow-polling still shows.
    this.optional(this.slots.warning, this.warning, run.watchError);
    this.optional(this.slots.error, this.error, run.error);
    this.optional(this.slots.outputs, this.outputs, run.outputs);
    this.optional(this.slots.live, this.live, run.liveText);
    if (run.timeline && run.timeline.length > 0) {
      this.timeline.update(run, now);
      fillSlot(this.slots.timeline, this.timeline.element);
    } else {
      fillSlot(this.slots.timeline, undefined);
    }
    this.inputs.update(run);
  }

  /** Opens one task's detail (after `update`, so its row exists). */
  revealTask(taskId: string): boolean {
    return this.timeline.reveal(taskId);
  }

  tick(now: number): void {
    this.header.tick(now);
    this.timeline.tick(now);
  }

  private optional<T>(slot: HTMLElement, part: { element: HTMLElement; update(value: T): void }, value: T | undefined): void {
    if (value === undefined) {
      fillSlot(slot, undefined);
      return;
    }
    // Filled before it is attached, so a screen reader announces the new content, not an empty box.
    part.update(value);
    fillSlot(slot, part.element);
  }
}

/** Shown when the panel's run is not in the history (removed, or cleared before a reload). */
export function missingView(connection: string, runId: string): HTMLElement {
  return h(
    'main',
    { class: 'missing', 'data-section': 'missing' },
    h('h1', {}, l10n.t('Run not in history')),
    h(
      'p',
      {},
      l10n.t('Run '),
      h('code', {}, runId || l10n.t('(unknown)')),
      connection ? l10n.t(' of connection “{0}” is no longer in the run history, so there is nothing to show.', connection) : l10n.t(' is no longer in the run history.'),
    ),
    h('p', {}, l10n.t('Open it again with “Workflow Runs: Open Run by ID…”, or close this tab.')),
  );
}
