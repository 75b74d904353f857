// The run's optional parts: error, outputs, live text, inputs and the watch warning (the timeline
// is waterfall.ts).
// Each is absent from the DOM while it has nothing to show, and updated in place while it does.
import { formatJson } from '../display';
import type { PageCommand, RunView } from '../protocol';
import { h, setText } from './dom';
import * as l10n from '@vscode/l10n';

/** A scrollable <pre> reachable by keyboard (tabindex) so long JSON can be scrolled without a mouse. */
function pre(label: string, className = ''): HTMLPreElement {
  return h('pre', { class: `block ${className}`.trim(), tabindex: '0', 'aria-label': label });
}

export class ErrorSection {
  private readonly text = pre(l10n.t('Run error'), 'error-text');
  // role=alert: the error is announced once when it appears.
  readonly element = h('section', { class: 'error', 'data-section': 'error', role: 'alert', 'aria-labelledby': 'error-heading' }, h('h2', { id: 'error-heading' }, l10n.t('Error')), this.text);

  update(error: string): void {
    setText(this.text, error);
  }
}

export class OutputsSection {
  private readonly text = pre(l10n.t('Run outputs'));
  readonly element: HTMLElement;

  constructor(send: (command: PageCommand) => void) {
    const copy = h('button', { type: 'button', class: 'secondary small', 'aria-label': l10n.t('Copy outputs'), 'data-command': 'copyOutputs' }, l10n.t('Copy'));
    copy.addEventListener('click', () => send('copyOutputs'));
    this.element = h(
      'section',
      { class: 'outputs', 'data-section': 'outputs', 'aria-labelledby': 'outputs-heading' },
      h('div', { class: 'section-head' }, h('h2', { id: 'outputs-heading' }, l10n.t('Outputs')), copy),
      this.text,
    );
  }

  update(outputs: unknown): void {
    setText(this.text, formatJson(outputs));
  }
}

export class LiveTextSection {
  private readonly text = pre(l10n.t('Live output'), 'live-text');
  readonly element = h('section', { class: 'live', 'data-section': 'live-text', 'aria-labelledby': 'live-heading' }, h('h2', { id: 'live-heading' }, l10n.t('Live output')), this.text);
  /** Follow the stream while the reader is at the bottom; scrolling up to read stays put. */
  private follow = true;

  constructor() {
    this.text.addEventListener('scroll', () => {
      this.follow = this.text.scrollTop + this.text.clientHeight >= this.text.scrollHeight - 8;
    });
  }

  update(liveText: string): void {
    setText(this.text, liveText);
    // After the caller has attached the section (the first update comes before): a detached
    // element has no scroll height.
    if (this.follow) queueMicrotask(() => (this.text.scrollTop = this.text.scrollHeight));
  }
}

export class InputsSection {
  private readonly inputs = pre(l10n.t('Inputs sent'));
  private readonly options = pre(l10n.t('Run options sent'));
  private readonly optionsHeading = h('h3', {}, l10n.t('Options'));
  readonly element = h('section', { class: 'inputs', 'data-section': 'inputs', 'aria-labelledby': 'inputs-heading' }, h('h2', { id: 'inputs-heading' }, l10n.t('Inputs')), this.inputs);

  update(run: RunView): void {
    setText(this.inputs, run.inputs === undefined ? l10n.t('Not recorded for this run.') : formatJson(run.inputs));
    if (run.options) {
      setText(this.options, formatJson(run.options));
      if (!this.options.isConnected) this.element.append(this.optionsHeading, this.options);
    } else if (this.options.isConnected) {
      this.optionsHeading.remove();
      this.options.remove();
    }
  }
}

/** Watching waits on the platform (it asked to wait, or keeps failing): not a failure of the run. */
export class WatchNotice {
  private readonly text = h('span');
  readonly element = h('p', { class: 'notice', role: 'status', 'data-section': 'watch-note' }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, 'ℹ'), ' ', this.text);

  update(message: string): void {
    setText(this.text, message);
  }
}

export class WatchWarning {
  private readonly text = h('span');
  readonly element = h('p', { class: 'warning', role: 'status', 'data-section': 'watch-error' }, h('span', { class: 'glyph', 'aria-hidden': 'true' }, '⚠'), ' ', this.text);

  update(message: string): void {
    setText(this.text, l10n.t('Watching this run ran into a problem: {0}', message));
  }
}
