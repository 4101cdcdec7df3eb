// Small DOM helpers shared by the pages.

/** Creates an element with text and attributes. */
export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** Shows a message in an alert box (or hides it when the message is empty). */
export function showMessage(id, message) {
  const box = document.getElementById(id);
  box.textContent = message || '';
  box.hidden = !message;
  // A page says one thing at a time: a new error replaces an old success notice, and a new
  // notice an old error.
  const other = document.getElementById({ notice: 'page-error', 'page-error': 'notice' }[id]);
  if (message && other) {
    other.textContent = '';
    other.hidden = true;
  }
}

/** A row's action button: `label` shown, "label: name" for screen readers. */
export function actionButton(label, name, onClick) {
  const b = el('button', label, { type: 'button', class: 'secondary', 'aria-label': `${label}: ${name}` });
  b.addEventListener('click', onClick);
  return b;
}

/** Fills a select with `[value, label]` pairs, `chosen` selected. */
export function options(select, items, chosen) {
  select.replaceChildren(...items.map(([value, label]) => {
    const o = el('option', label, { value });
    o.selected = value === chosen;
    return o;
  }));
}
