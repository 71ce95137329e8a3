/**
 * The first script's few lines of DOM (no Preact there: Preact and its components ship in the lazy chunk, issue
 * 15): `el('button', {type: 'button', onclick: run}, 'text')`. An attribute that is a function is a listener (`on…`),
 * one that is undefined, null or false is left out, true is an empty attribute; children may be nodes or texts.
 * The chunk borrows these (vite.config.ts) for its DOM-only states.
 */
type Attributes = Record<string, unknown>;
export type Child = Node | string | false | null | undefined;

function fill<E extends Element>(element: E, attributes: Attributes, children: Child[]): E {
  for (const name in attributes) {
    const value = attributes[name];
    if (typeof value === 'function') element.addEventListener(name.slice(2), value as EventListener);
    else if (value != null && value !== false)
      element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...(children.filter((child) => child || child === '') as (Node | string)[]));
  return element;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attributes, children);
}

/** An SVG element (icons). */
export function svg(tag: string, attributes: Attributes, ...children: Child[]): SVGElement {
  return fill(document.createElementNS('http://www.w3.org/2000/svg', tag), attributes, children);
}
