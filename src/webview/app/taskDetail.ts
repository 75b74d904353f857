// The detail of one task/node, shown when its waterfall row is expanded: its facts (state, times,
// cost, round), then its inputs, outputs, process data and error as text — pretty JSON, folded in
// a <details> when big, each with a Copy button — and, in words, what was too big to keep.
// Built only when first expanded (hundreds of rows stay cheap) and updated in place afterwards.
import type { TimelineEntry } from '../../providers/model';
import type { CopyableTaskField } from '../protocol';
import { h, setText } from './dom';
import { FactList } from './facts';
import { detailFacts, shownValue, type Axis } from './waterfallModel';
import * as l10n from '@vscode/l10n';

export interface TaskActions {
  copy(taskId: string, field: CopyableTaskField): void;
  rerunTask(taskId: string): void;
}

// Getters: this module loads before the page configures l10n from its bundle.
const fieldTitles: Record<CopyableTaskField, string> = {
  get inputs() { return l10n.t('Inputs'); },
  get outputs() { return l10n.t('Outputs'); },
  get processData() { return l10n.t('Process data'); },
  get error() { return l10n.t('Error'); },
};
/** The contract's section names: `task-inputs` and `task-outputs`; the others follow the pattern. */
const fieldSections: Record<CopyableTaskField, string> = { inputs: 'task-inputs', outputs: 'task-outputs', processData: 'task-process-data', error: 'task-error' };
const fieldOrder: readonly CopyableTaskField[] = ['inputs', 'outputs', 'processData', 'error'];

/** One value of the task: heading + Copy, the truncation note, and the text (folded when big). */
class ValueBlock {
  readonly element: HTMLElement;
  private readonly text: HTMLPreElement;
  private readonly note = h('p', { class: 'truncated-note' });
  private readonly fold = h('details', { class: 'fold' });
  private readonly foldSummary = h('summary');
  private readonly body = h('div', { class: 'value-body' });

  constructor(
    private readonly field: CopyableTaskField,
    taskId: string,
    taskName: string,
    actions: TaskActions,
  ) {
    const title = fieldTitles[field];
    // tabindex: long JSON scrolls with the keyboard.
    this.text = h('pre', { class: 'block json', tabindex: '0', 'aria-label': l10n.t({ message: '{0} of {1}', args: [title, taskName], comment: ['{0} is a task field (Inputs, Outputs, Error), {1} the task it belongs to.'] }) });
    const copy = h('button', { type: 'button', class: 'secondary small', 'aria-label': l10n.t({ message: 'Copy {0} of {1}', args: [title.toLowerCase(), taskName], comment: ['{0} is a task field as its heading names it, lower-cased (inputs, outputs, error); {1} the task.'] }), 'data-copy': field }, l10n.t('Copy'));
    copy.addEventListener('click', () => actions.copy(taskId, field));
    this.fold.append(this.foldSummary);
    this.element = h('section', { class: `task-value ${field}`, 'data-section': fieldSections[field] }, h('div', { class: 'section-head' }, h('h4', {}, title), copy), this.body);
  }

  update(value: unknown): void {
    const shown = this.field === 'error' && typeof value === 'string' ? { text: value, folded: false, size: '' } : shownValue(value);
    setText(this.text, shown.text);
    const note = 'truncatedNote' in shown ? shown.truncatedNote : undefined;
    if (note) {
      setText(this.note, note);
      if (this.note.parentNode !== this.body) this.body.insertBefore(this.note, this.body.firstChild);
    } else if (this.note.parentNode) {
      this.note.remove();
    }
    if (shown.folded) {
      setText(this.foldSummary, l10n.t('Show {0} ({1})', fieldTitles[this.field].toLowerCase(), shown.size));
      if (this.text.parentNode !== this.fold) this.fold.append(this.text);
      if (this.fold.parentNode !== this.body) this.body.append(this.fold);
    } else {
      if (this.fold.parentNode) this.fold.remove();
      if (this.text.parentNode !== this.body) this.body.append(this.text);
    }
  }
}

export class TaskDetail {
  readonly element: HTMLElement;
  private readonly facts = new FactList();
  private readonly truncation = h('p', { class: 'truncated-note', 'data-section': 'task-truncated' });
  private readonly values = new Map<CopyableTaskField, ValueBlock>();
  private readonly slots = new Map<CopyableTaskField, HTMLElement>();
  private readonly rerun: HTMLButtonElement;
  private readonly empty = h('p', { class: 'muted' }, l10n.t('The platform gave no inputs or outputs for this one.'));

  constructor(
    id: string,
    private readonly taskId: string,
    private readonly taskName: string,
    private readonly actions: TaskActions,
  ) {
    this.rerun = h('button', { type: 'button', class: 'secondary small', 'data-command': 'rerunTask', 'aria-label': l10n.t('Re-run task {0}', taskName) }, l10n.t('↻ Re-run task'));
    this.rerun.addEventListener('click', () => actions.rerunTask(taskId));
    for (const field of fieldOrder) this.slots.set(field, h('div', { class: 'slot' }));
    this.element = h(
      'div',
      { class: 'task-detail', id, role: 'region', 'aria-label': l10n.t('Details of {0}', taskName) },
      this.facts.element,
      this.truncation,
      ...[...this.slots.values()],
      this.empty,
      h('div', { class: 'actions' }, this.rerun),
    );
  }

  update(entry: TimelineEntry, axis: Axis | undefined, now: number, canRerunTasks: boolean): void {
    this.facts.update(detailFacts(entry, axis, now).map(([label, value]) => ({ label, value, code: label === 'ID' })));
    const cut = entry.truncated ?? [];
    setText(this.truncation, cut.length > 0 ? l10n.t('Too big to keep whole, so shortened: {0}.', cut.map((field) => fieldTitles[field].toLowerCase()).join(', ')) : '');
    this.truncation.hidden = cut.length === 0;
    let shown = 0;
    for (const field of fieldOrder) {
      const slot = this.slots.get(field)!;
      const value = entry[field];
      if (value === undefined || value === null) {
        if (slot.firstChild) slot.replaceChildren();
        continue;
      }
      shown += 1;
      let block = this.values.get(field);
      if (!block) {
        block = new ValueBlock(field, this.taskId, this.taskName, this.actions);
        this.values.set(field, block);
      }
      block.update(value);
      if (slot.firstChild !== block.element) slot.replaceChildren(block.element);
    }
    this.empty.hidden = shown > 0;
    this.rerun.hidden = !canRerunTasks;
  }
}
