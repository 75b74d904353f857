// Task counts: every state as a number (the contract's `data-task-state` elements, whose text is
// only the integer) and a stacked bar proportional to them.
import type { TaskCounts, TaskState } from '../../providers/model';
import { barDescription, barSegments, taskStateCount, taskStateLabels } from '../display';
import { h, setAttribute, setText } from './dom';
import * as l10n from '@vscode/l10n';

/** Listing order: outcomes first, then work still to do, then the total. */
const countOrder: ReadonlyArray<TaskState | 'total'> = ['success', 'error', 'processing', 'pending', 'queued', 'stopped', 'skipped', 'total'];

export class TaskSection {
  readonly element: HTMLElement;
  private readonly bar = h('div', { class: 'bar', role: 'img' });
  private readonly values = new Map<TaskState | 'total', HTMLElement>();
  private barKey = '';

  constructor() {
    // Every state is listed, even at 0: a state the platform never reports shows as 0 (contract).
    const items = countOrder.map((state) => {
      const value = h('span', { class: 'count-value', 'data-task-state': state }, '0');
      this.values.set(state, value);
      return h(
        'li',
        { class: `count state-${state}` },
        state === 'total' ? null : h('span', { class: 'swatch', 'aria-hidden': 'true' }),
        h('span', { class: 'count-label' }, taskStateLabels[state]),
        value,
      );
    });
    this.element = h(
      'section',
      { class: 'tasks', 'data-section': 'tasks', 'aria-labelledby': 'tasks-heading' },
      h('h2', { id: 'tasks-heading' }, l10n.t('Tasks')),
      this.bar,
      h('ul', { class: 'counts' }, ...items),
    );
  }

  update(tasks: TaskCounts): void {
    for (const [state, element] of this.values) setText(element, String(tasks[state]));
    const segments = barSegments(tasks);
    const key = segments.map((segment) => `${segment.state}:${segment.percent}`).join(',');
    setAttribute(this.bar, 'aria-label', barDescription(tasks));
    if (key === this.barKey) return;
    this.barKey = key;
    this.bar.replaceChildren(
      ...segments.map((segment) => {
        const element = h('div', { class: `segment state-${segment.state}`, title: taskStateCount(segment.state, segment.count) });
        // CSSOM, not a style attribute: allowed under the page's CSP (no 'unsafe-inline').
        element.style.width = `${segment.percent}%`;
        return element;
      }),
    );
  }
}
