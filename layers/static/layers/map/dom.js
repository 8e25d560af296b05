// Building DOM from data. Record values come from the public and may contain anything
// (a name like "<img src=x onerror=…>"), so they only ever become text nodes.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === "") continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

// Two or more parallel requests for the same panel: only the newest one may write.
export function latestOnly() {
  let counter = 0;
  return function start() {
    const ticket = ++counter;
    return () => ticket === counter;
  };
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Leaflet's credit in the attribution bar, its English title put in the page's language
// (Leaflet's own prefix is HTML, so it is built here as a node and serialised, escaped).
export function leafletPrefix(title) {
  return el("a", { href: "https://leafletjs.com", title }, "Leaflet").outerHTML;
}
