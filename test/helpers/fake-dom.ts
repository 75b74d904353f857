// A small DOM for rendering the run details page in Node (not a test file itself). It has what the
// page's code uses — elements, text, attributes, events that bubble, focus, CSSOM style — and a
// querySelector for simple selectors (tag, .class, #id, [attr], [attr="value"], descendants).
// It never parses HTML: `innerHTML` does not exist here, so a page that used it would fail.

type Listener = (event: FakeEvent) => void;

export class FakeEvent {
  target: FakeNode | undefined;
  currentTarget: FakeNode | undefined;
  defaultPrevented = false;
  propagationStopped = false;
  constructor(
    readonly type: string,
    init: { key?: string; shiftKey?: boolean } = {},
  ) {
    this.key = init.key ?? '';
    this.shiftKey = init.shiftKey ?? false;
  }
  readonly key: string;
  readonly shiftKey: boolean;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  stopPropagation(): void {
    this.propagationStopped = true;
  }
}

export class FakeNode {
  parentNode: FakeElement | undefined;
  readonly childNodes: FakeNode[] = [];
  constructor(readonly ownerDocument: FakeDocument) {}

  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }

  get textContent(): string {
    return this.childNodes.map((child) => child.textContent).join('');
  }

  set textContent(text: string) {
    this.replaceChildren(...(text === '' ? [] : [this.ownerDocument.createTextNode(text)]));
  }

  get isConnected(): boolean {
    let node: FakeNode = this.selfNode();
    while (node.parentNode) node = node.parentNode;
    return node === this.ownerDocument.documentElement;
  }

  protected selfNode(): FakeNode {
    return this;
  }

  append(...nodes: Array<FakeNode | string>): void {
    for (const node of nodes) this.appendChild(typeof node === 'string' ? this.ownerDocument.createTextNode(node) : node);
  }

  appendChild(node: FakeNode): FakeNode {
    node.remove();
    node.parentNode = this as unknown as FakeElement;
    this.childNodes.push(node);
    this.ownerDocument.mutations += 1;
    return node;
  }

  insertBefore(node: FakeNode, reference: FakeNode | null): FakeNode {
    if (reference === null) return this.appendChild(node);
    node.remove();
    const index = this.childNodes.indexOf(reference);
    if (index === -1) throw new Error('insertBefore: the reference is not a child');
    node.parentNode = this as unknown as FakeElement;
    this.childNodes.splice(index, 0, node);
    this.ownerDocument.mutations += 1;
    return node;
  }

  replaceChildren(...nodes: Array<FakeNode | string>): void {
    for (const child of this.childNodes.splice(0)) child.parentNode = undefined;
    this.ownerDocument.mutations += 1;
    this.append(...nodes);
  }

  remove(): void {
    const parent = this.parentNode;
    if (!parent) return;
    parent.childNodes.splice(parent.childNodes.indexOf(this), 1);
    this.parentNode = undefined;
    this.ownerDocument.mutations += 1;
  }

  contains(other: FakeNode | null | undefined): boolean {
    for (let node: FakeNode | undefined = other ?? undefined; node; node = node.parentNode) if (node === this) return true;
    return false;
  }
}

export class FakeText extends FakeNode {
  constructor(
    ownerDocument: FakeDocument,
    public data: string,
  ) {
    super(ownerDocument);
  }
  override get textContent(): string {
    return this.data;
  }
  override set textContent(text: string) {
    this.data = text;
  }
}

class FakeStyle {
  private readonly properties = new Map<string, string>();
  [name: string]: unknown;
  setProperty(name: string, value: string): void {
    this.properties.set(name, value);
  }
  getPropertyValue(name: string): string {
    return this.properties.get(name) ?? '';
  }
  removeProperty(name: string): void {
    this.properties.delete(name);
  }
}

/** Properties that reflect an attribute of the same name (boolean when `true`). */
const reflected: Record<string, 'boolean' | 'string'> = { hidden: 'boolean', disabled: 'boolean', open: 'boolean', id: 'string', title: 'string' };

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly style = new FakeStyle();
  private readonly listeners = new Map<string, Listener[]>();
  // Reflected attributes, defined in the constructor.
  declare hidden: boolean;
  declare disabled: boolean;
  declare open: boolean;
  declare id: string;
  declare title: string;
  scrollTop = 0;
  scrollHeight = 0;
  clientHeight = 0;

  constructor(
    ownerDocument: FakeDocument,
    readonly tagName: string,
  ) {
    super(ownerDocument);
    for (const [name, kind] of Object.entries(reflected)) {
      Object.defineProperty(this, name, {
        get: () => (kind === 'boolean' ? this.attributes.has(name) : (this.attributes.get(name) ?? '')),
        set: (value: unknown) => {
          if (kind === 'string') this.setAttribute(name, String(value));
          else if (value) this.setAttribute(name, '');
          else this.removeAttribute(name);
        },
      });
    }
  }

  get tabIndex(): number {
    const value = this.attributes.get('tabindex');
    return value === undefined ? (['button', 'a', 'summary'].includes(this.tagName) ? 0 : -1) : Number(value);
  }
  set tabIndex(value: number) {
    this.setAttribute('tabindex', String(value));
  }

  get children(): FakeElement[] {
    return this.childNodes.filter((node): node is FakeElement => node instanceof FakeElement);
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name.toLowerCase(), String(value));
    this.ownerDocument.mutations += 1;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name.toLowerCase()) ?? null;
  }
  hasAttribute(name: string): boolean {
    return this.attributes.has(name.toLowerCase());
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name.toLowerCase());
    this.ownerDocument.mutations += 1;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((item) => item !== listener));
  }
  dispatchEvent(event: FakeEvent): boolean {
    event.target = this;
    for (let node: FakeElement | undefined = this.selfElement(); node && !event.propagationStopped; node = node.parentNode) {
      event.currentTarget = node;
      for (const listener of node.listeners.get(event.type) ?? []) listener(event);
    }
    return !event.defaultPrevented;
  }
  private selfElement(): FakeElement {
    return this;
  }
  click(): void {
    if (this.hasAttribute('disabled')) return;
    this.dispatchEvent(new FakeEvent('click'));
  }
  focus(): void {
    this.ownerDocument.activeElement = this;
  }

  matches(selector: string): boolean {
    const parts = selector.trim().split(/\s+/);
    if (!matchesCompound(this, parts.at(-1)!)) return false;
    let ancestor = this.parentNode;
    for (let index = parts.length - 2; index >= 0; index -= 1) {
      while (ancestor && !matchesCompound(ancestor, parts[index]!)) ancestor = ancestor.parentNode;
      if (!ancestor) return false;
      ancestor = ancestor.parentNode;
    }
    return true;
  }
  closest(selector: string): FakeElement | null {
    for (let node: FakeElement | undefined = this.selfElement(); node; node = node.parentNode) if (node.matches(selector)) return node;
    return null;
  }
  querySelectorAll(selector: string): FakeElement[] {
    const found: FakeElement[] = [];
    const walk = (node: FakeElement): void => {
      for (const child of node.children) {
        if (child.matches(selector)) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }
  querySelector(selector: string): FakeElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }
}

function matchesCompound(element: FakeElement, compound: string): boolean {
  const pattern = /([a-z0-9-]+)|\.([\w-]+)|#([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/giy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(compound)) !== null) {
    consumed = pattern.lastIndex;
    const [, tag, className, id, attribute, value] = match;
    if (tag !== undefined && element.tagName !== tag.toLowerCase()) return false;
    if (className !== undefined && !(element.getAttribute('class') ?? '').split(/\s+/).includes(className)) return false;
    if (id !== undefined && element.getAttribute('id') !== id) return false;
    if (attribute !== undefined) {
      const actual = element.getAttribute(attribute);
      if (actual === null || (value !== undefined && actual !== value)) return false;
    }
  }
  if (consumed !== compound.length) throw new Error(`fake DOM: unsupported selector part "${compound}"`);
  return true;
}

export class FakeDocument {
  /** Counts every change to the tree and to attributes: tests compare it to prove rows are reused. */
  mutations = 0;
  activeElement: FakeElement | null = null;
  readonly documentElement: FakeElement;
  readonly body: FakeElement;

  constructor() {
    this.documentElement = new FakeElement(this, 'html');
    this.body = new FakeElement(this, 'body');
    this.documentElement.appendChild(this.body);
  }
  createElement(tag: string): FakeElement {
    return new FakeElement(this, tag.toLowerCase());
  }
  createTextNode(text: string): FakeText {
    return new FakeText(this, text);
  }
  getElementById(id: string): FakeElement | null {
    return this.documentElement.querySelector(`#${id}`);
  }
}

/** Installs a fresh document as the global `document` and returns it. */
export function installFakeDom(): FakeDocument {
  const document = new FakeDocument();
  (globalThis as { document?: unknown }).document = document;
  return document;
}

/** The fake element as the DOM type the page's code declares (the fake is structurally enough for it). */
export function asFake(element: Element | HTMLElement): FakeElement {
  return element as unknown as FakeElement;
}
