// Small helpers to build the page with DOM APIs. Text always goes in through textContent (never
// innerHTML), so nothing that comes from data (addresses, labels, server replies) can become markup.

/**
 * Creates an element. `props` sets properties and attributes: `class`, `text` (textContent),
 * `on<event>` (listeners), `data-*`/`aria-*`/other attributes; children are nodes or strings.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  applyProps(node, props);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Like el() for SVG elements; every prop but `class`, `text` and `on*` is an attribute. */
export function svg(tag, props = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyProps(node, props);
  append(node, children);
  return node;
}

function applyProps(node, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in node && !(node instanceof SVGElement) && !key.includes('-')) {
      node[key] = value;
    } else node.setAttribute(key, value === true ? '' : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Removes every child of `node` and appends `children`. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

const numberFormat = new Intl.NumberFormat('en');

/** 12345 -> "12,345". */
export function formatNumber(n) {
  return numberFormat.format(Number(n) || 0);
}

/** An ISO 8601 time as the browser's local date and time; "" for null. */
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Percent of `part` in `whole`, rounded down, 0 when whole is 0. */
export function percent(part, whole) {
  if (!whole) return 0;
  return Math.min(100, Math.floor((part * 100) / whole));
}
