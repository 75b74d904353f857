// The timeline as a waterfall, like a browser's network panel: one row per task/node, each with
// its bar (start and duration) on one shared time axis, coloured by state. Each row is the
// contract's one element with `data-task-id` and `data-task-status`; clicking it (or its button)
// expands its detail.
//
// Hundreds of rows: rows are built once per id and only those that changed are touched. Bars are
// placed by CSS from custom properties (offset and duration in ms on the bar, the axis span on the
// list), so a growing axis while the run is in flight is one property on the list, not a write to
// every row. Keyboard: one Tab stop for the list; ↑/↓/Home/End move between rows, Enter or Space
// expands (real <button>s with aria-expanded).
import type { TimelineEntry } from '../../providers/model';
import { formatDuration } from '../../util/format';
import { entryDurationMs, taskStateGlyphs, taskStateLabels } from '../display';
import type { RunView } from '../protocol';
import { h, setAttribute, setText } from './dom';
import { TaskDetail, type TaskActions } from './taskDetail';
import { axisTicks, barGeometry, roundLabel, rowLabel, rowSignature, timelineAxis, type Axis } from './waterfallModel';
import * as l10n from '@vscode/l10n';

let rowIds = 0;

class WaterfallRow {
  readonly element: HTMLLIElement;
  readonly toggle: HTMLButtonElement;
  private readonly glyph = h('span', { class: 'glyph', 'aria-hidden': 'true' });
  private readonly name = h('span', { class: 'wf-name' });
  private readonly round = h('span', { class: 'wf-round' });
  private readonly type = h('span', { class: 'wf-type' });
  private readonly bar = h('span', { class: 'wf-bar' });
  private readonly duration = h('span', { class: 'wf-duration' });
  private readonly detailId = `task-detail-${(rowIds += 1)}`;
  private detail: TaskDetail | undefined;
  private signature = '';
  entry: TimelineEntry;

  constructor(
    entry: TimelineEntry,
    private readonly actions: TaskActions,
    private readonly context: () => { axis: Axis | undefined; now: number; canRerunTasks: boolean },
  ) {
    this.entry = entry;
    this.toggle = h('button', { type: 'button', class: 'wf-toggle', 'aria-expanded': 'false', 'aria-controls': this.detailId, tabindex: '-1' }, this.glyph, this.name, this.round, this.type);
    this.element = h(
      'li',
      // The contract's task or node id (a Dify node's id, whichever execution this row is); the
      // execution's own id apart when it differs.
      { class: 'wf-row', role: 'listitem', 'data-task-id': entry.nodeId ?? entry.id, ...(entry.nodeId ? { 'data-execution-id': entry.id } : {}) },
      h('div', { class: 'wf-head' }, this.toggle, h('span', { class: 'wf-track', 'aria-hidden': 'true' }, this.bar), this.duration),
    );
    // On the row, so a click anywhere on it expands; clicks inside the open detail (selecting
    // text, Copy) do not fold it away.
    this.element.addEventListener('click', (event) => {
      if (this.detail && this.detail.element.contains(event.target as Node)) return;
      this.setExpanded(!this.expanded);
    });
  }

  get expanded(): boolean {
    return this.toggle.getAttribute('aria-expanded') === 'true';
  }

  setExpanded(expanded: boolean): void {
    setAttribute(this.toggle, 'aria-expanded', String(expanded));
    this.applyClass();
    if (expanded) {
      if (!this.detail) {
        this.detail = new TaskDetail(this.detailId, this.entry.id, this.entry.name || this.entry.id, this.actions);
        this.element.append(this.detail.element);
      }
      this.detail.element.hidden = false;
      this.refreshDetail();
    } else if (this.detail) {
      this.detail.element.hidden = true;
    }
  }

  /** Applies a new entry; touches the DOM only where something the row shows changed. */
  update(entry: TimelineEntry): void {
    this.entry = entry;
    const signature = rowSignature(entry);
    const moving = entry.state === 'processing';
    if (signature !== this.signature || moving) {
      this.signature = signature;
      const label = taskStateLabels[entry.state];
      setAttribute(this.element, 'data-task-status', entry.state);
      this.applyClass();
      setText(this.glyph, taskStateGlyphs[entry.state]);
      setText(this.name, entry.name || entry.id);
      setText(this.round, roundLabel(entry) ?? '');
      setText(this.type, entry.type ?? '');
      setAttribute(this.toggle, 'title', entry.platformState ? l10n.t({ message: '{0} ({1})', args: [label, entry.platformState], comment: ['{0} is a status in the extension\'s words, {1} the platform\'s own word for it.'] }) : label);
      this.place();
    }
    if (this.expanded) this.refreshDetail();
  }

  private applyClass(): void {
    const entry = this.entry;
    setAttribute(this.element, 'class', `wf-row state-${entry.state}${entry.iteration || entry.loop ? ' nested' : ''}${this.expanded ? ' expanded' : ''}`);
  }

  /** The bar and the words that depend on the axis and the clock. */
  place(): void {
    const { axis, now } = this.context();
    const geometry = barGeometry(this.entry, axis, now);
    setAttribute(this.toggle, 'aria-label', rowLabel(this.entry, geometry));
    setText(this.duration, formatDuration(entryDurationMs(this.entry, now)) || (geometry ? '' : '—'));
    this.bar.hidden = geometry === undefined;
    if (geometry) {
      // CSSOM custom properties, not a style attribute: allowed under the page's CSP.
      setStyle(this.bar, '--wf-offset', String(geometry.offsetMs));
      setStyle(this.bar, '--wf-duration', String(geometry.durationMs));
    }
  }

  private refreshDetail(): void {
    const { axis, now, canRerunTasks } = this.context();
    this.detail?.update(this.entry, axis, now, canRerunTasks);
  }
}

function setStyle(element: HTMLElement, property: string, value: string): void {
  if (element.style.getPropertyValue(property) !== value) element.style.setProperty(property, value);
}

export class WaterfallSection {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'wf-rows', role: 'list', 'aria-label': l10n.t('Tasks and nodes over time') });
  private readonly ticks = h('div', { class: 'wf-axis', 'aria-hidden': 'true' });
  private readonly omitted = h('p', { class: 'muted', 'data-section': 'timeline-omitted' });
  private readonly rows = new Map<string, WaterfallRow>();
  private order: WaterfallRow[] = [];
  private axis: Axis | undefined;
  private now = 0;
  private run: RunView | undefined;
  /** The row whose button is the list's one Tab stop. */
  private current: WaterfallRow | undefined;

  constructor(private readonly actions: TaskActions) {
    const legend = h(
      'ul',
      { class: 'wf-legend', 'aria-hidden': 'true' },
      ...(['success', 'error', 'processing', 'pending', 'stopped', 'skipped'] as const).map((state) =>
        h('li', { class: `state-${state}` }, h('span', { class: 'swatch' }), taskStateLabels[state]),
      ),
    );
    this.element = h(
      'section',
      { class: 'timeline waterfall', 'data-section': 'timeline', 'aria-labelledby': 'timeline-heading' },
      h('div', { class: 'section-head' }, h('h2', { id: 'timeline-heading' }, l10n.t('Timeline')), legend),
      h('div', { class: 'wf-axis-row' }, h('span', { class: 'wf-axis-spacer' }), this.ticks, h('span', { class: 'wf-axis-spacer-end' })),
      this.list,
      this.omitted,
    );
    this.list.addEventListener('keydown', (event) => this.onKey(event as KeyboardEvent));
    this.list.addEventListener('focusin', (event) => {
      const row = this.order.find((candidate) => candidate.toggle === event.target);
      if (row) this.makeCurrent(row);
    });
  }

  update(run: RunView, now: number): void {
    this.run = run;
    this.now = now;
    const entries = run.timeline ?? [];
    this.setAxis(timelineAxis(entries, run, now));
    const next: WaterfallRow[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      // A platform repeating an id (it should not) must not make two rows share one element.
      if (seen.has(entry.id)) continue;
      seen.add(entry.id);
      let row = this.rows.get(entry.id);
      if (!row) {
        row = new WaterfallRow(entry, this.actions, () => ({ axis: this.axis, now: this.now, canRerunTasks: this.run?.canRerunTasks ?? false }));
        this.rows.set(entry.id, row);
      }
      row.update(entry);
      next.push(row);
    }
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.element.remove();
        this.rows.delete(id);
      }
    }
    this.arrange(next);
    const omitted = run.timelineOmitted ?? 0;
    setText(this.omitted, omitted > 0 ? l10n.t('{0} more tasks/nodes not kept: the run was too big to keep whole.', omitted.toLocaleString('en-US')) : '');
    this.omitted.hidden = omitted === 0;
  }

  /** Once a second while in flight: the axis grows and running rows' bars with it. */
  tick(now: number): void {
    if (!this.run?.inFlight) return;
    this.now = now;
    this.setAxis(timelineAxis(this.run.timeline ?? [], this.run, now));
    for (const row of this.order) if (row.entry.state === 'processing') row.place();
  }

  private setAxis(axis: Axis | undefined): void {
    const before = this.axis;
    this.axis = axis;
    setStyle(this.list, '--wf-span', String(axis?.span ?? 1));
    this.ticks.hidden = axis === undefined;
    if (axis) {
      const labels = axisTicks(axis);
      if (this.ticks.childNodes.length !== labels.length) this.ticks.replaceChildren(...labels.map(() => h('span', { class: 'wf-tick' })));
      labels.forEach((tick, index) => setText(this.ticks.childNodes[index] as HTMLElement, tick.label));
    }
    // Rows' offsets are from the origin: when it moves, every bar moves (rare: an earlier start).
    if (before && axis && before.origin !== axis.origin) for (const row of this.order) row.place();
  }

  /** Puts the rows in order, appending when only new rows came at the end (the streaming case). */
  private arrange(next: WaterfallRow[]): void {
    const samePrefix = this.order.length <= next.length && this.order.every((row, index) => next[index] === row) && this.order.every((row) => row.element.parentNode === this.list);
    if (samePrefix) {
      for (const row of next.slice(this.order.length)) this.list.append(row.element);
    } else {
      this.list.replaceChildren(...next.map((row) => row.element));
    }
    this.order = next;
    if (!this.current || !next.includes(this.current)) this.makeCurrent(next[0]);
  }

  /** Opens a task's detail, scrolls it into view and focuses it; false when there is no such row. */
  reveal(taskId: string): boolean {
    const row = this.rows.get(taskId);
    if (!row) return false;
    if (!row.expanded) row.setExpanded(true);
    this.makeCurrent(row);
    row.element.scrollIntoView?.({ block: 'nearest' });
    row.toggle.focus();
    return true;
  }

  private makeCurrent(row: WaterfallRow | undefined): void {
    if (this.current && this.current !== row) this.current.toggle.tabIndex = -1;
    this.current = row;
    if (row) row.toggle.tabIndex = 0;
  }

  private onKey(event: KeyboardEvent): void {
    const index = this.current ? this.order.indexOf(this.current) : -1;
    let target: number;
    switch (event.key) {
      case 'ArrowDown':
        target = Math.min(this.order.length - 1, index + 1);
        break;
      case 'ArrowUp':
        target = Math.max(0, index - 1);
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = this.order.length - 1;
        break;
      default:
        return;
    }
    // Only from a row's own button: arrows inside an open detail scroll its text as usual.
    if (!this.order.some((row) => row.toggle === event.target)) return;
    event.preventDefault();
    const row = this.order[target];
    if (!row) return;
    this.makeCurrent(row);
    row.toggle.focus();
  }
}
