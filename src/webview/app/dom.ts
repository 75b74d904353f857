// The page's only way to build DOM: createElement + setAttribute + textContent. Run data is never
// parsed as HTML, so nothing a platform returns can inject markup or script.

export type Child = Node | string | null | undefined | false;
export type Attributes = Record<string, string | boolean | undefined>;

/** `h('button', { type: 'button', 'aria-label': 'Stop run' }, 'Stop')`. Attribute names are ours, never data. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Writes text only when it changed: keeps the user's selection and the find widget's matches. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function setAttribute(element: Element, name: string, value: string | undefined): void {
  if (value === undefined) {
    if (element.hasAttribute(name)) element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

/** Puts `content` in `slot` (or empties it): optional sections are absent from the DOM, not hidden. */
export function fillSlot(slot: Element, content: Element | undefined): void {
  if (content === undefined) {
    if (slot.firstChild) slot.replaceChildren();
  } else if (slot.firstChild !== content || slot.childNodes.length !== 1) {
    slot.replaceChildren(content);
  }
}

/** Local date and time; the ISO form goes in the tooltip. */
export function formatTimestamp(epochMs: number | undefined): string {
  return epochMs === undefined ? '' : new Date(epochMs).toLocaleString();
}
