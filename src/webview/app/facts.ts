// A definition list of label/value rows, updated in place: rebuilt only when the set of rows
// changes, so ticking the duration or a new state does not throw away a selection in it.
import { h, setAttribute, setText } from './dom';

export interface Fact {
  label: string;
  value: string;
  /** Tooltip, e.g. the ISO time behind a local one. */
  title?: string;
  /** Monospace (ids). */
  code?: boolean;
}

export class FactList {
  readonly element = h('dl', { class: 'facts' });
  private signature = '';
  private values = new Map<string, HTMLElement>();

  update(facts: Fact[]): void {
    const signature = facts.map((fact) => `${fact.label}${fact.code ? '#' : ''}`).join('\u0000');
    if (signature !== this.signature) this.rebuild(facts, signature);
    for (const fact of facts) {
      const value = this.values.get(fact.label);
      if (!value) continue;
      setText(value, fact.value);
      setAttribute(value, 'title', fact.title);
    }
  }

  /** The value element of a row, to update it between two states (the ticking duration). */
  valueOf(label: string): HTMLElement | undefined {
    return this.values.get(label);
  }

  private rebuild(facts: Fact[], signature: string): void {
    this.signature = signature;
    this.values = new Map();
    const rows = facts.map((fact) => {
      const value = fact.code ? h('code') : h('span');
      this.values.set(fact.label, value);
      return h('div', { class: 'fact' }, h('dt', {}, fact.label), h('dd', {}, value));
    });
    this.element.replaceChildren(...rows);
  }
}
