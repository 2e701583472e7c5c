// Builds DOM from data without ever parsing it as HTML: text goes in with textContent only.

/**
 * h("button", {type: "button", onclick: f, class: "x"}, "text", child…). Attribute values are set
 * with setAttribute (never an on… attribute from data), strings become text nodes.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = String(value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Empties an element. */
export function clear(element) {
  element.replaceChildren();
}

/** A value from the run's JSON as one line of text: money and percentages keep their unit. */
export function shown(value) {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object" && !Array.isArray(value) && typeof value.text === "string") return value.text;
  return JSON.stringify(value);
}

let uniqueCount = 0;
/** An id for a label's `for`. */
export function uniqueId(prefix) {
  uniqueCount += 1;
  return `${prefix}-${uniqueCount}`;
}
