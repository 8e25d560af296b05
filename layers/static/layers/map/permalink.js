// The permalink: view, visible layers and filters in the URL hash, e.g.
// #map=15/49.42160/26.99650&layers=accessibility,trees&trees.condition=hazardous
// and, for a layer coloured by another than its default property, style=accessibility:hearing,
// and for a record selected on the map (its popup open), select=trees:<public id>.

export function parsePermalink(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const state = { view: null, layers: null, filters: {} };
  const view = (params.get("map") || "").split("/").map(Number);
  if (view.length === 3 && view.every(Number.isFinite)) {
    state.view = { zoom: view[0], lat: view[1], lon: view[2] };
  }
  state.styles = {};
  for (const pair of (params.get("style") || "").split(",")) {
    const [layer, property] = pair.split(":");
    if (layer && property) state.styles[layer] = property;
  }
  if (params.has("layers")) state.layers = params.get("layers").split(",").filter(Boolean);
  const [layer, id] = (params.get("select") || "").split(":");
  state.select = layer && id ? { layer, id } : null;
  for (const [key, value] of params) {
    const dot = key.indexOf(".");
    if (dot < 1) continue;
    const layer = key.slice(0, dot);
    (state.filters[layer] ||= {})[key.slice(dot + 1)] = value.split(",").filter(Boolean);
  }
  return state;
}

export function formatPermalink({ view, layers, filters, styles = {}, select = null }) {
  const parts = [`map=${view.zoom}/${view.lat.toFixed(5)}/${view.lon.toFixed(5)}`, `layers=${layers.join(",")}`];
  const chosen = Object.entries(styles).map(([layer, property]) => `${layer}:${encodeURIComponent(property)}`);
  if (chosen.length) parts.push(`style=${chosen.join(",")}`);
  if (select) parts.push(`select=${encodeURIComponent(select.layer)}:${encodeURIComponent(select.id)}`);
  for (const [layer, byKey] of Object.entries(filters)) {
    for (const [key, values] of Object.entries(byKey)) {
      if (values.length) parts.push(`${layer}.${key}=${values.map(encodeURIComponent).join(",")}`);
    }
  }
  return `#${parts.join("&")}`;
}

// Hand the link on: the system's share sheet where there is one (phones), else the clipboard
// (the Clipboard API, or selecting it in a text field and the copy command where that API is
// missing or refused). Resolves to "shared", "copied", "cancelled" or "failed".
export async function shareLink(url, title) {
  if (navigator.share) {
    try {
      await navigator.share({ url, title });
      return "shared";
    } catch (error) {
      if (error.name === "AbortError") return "cancelled";
      // Not allowed here (no user activation, a policy): copy it instead.
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    return "copied";
  } catch {
    return copyBySelection(url) ? "copied" : "failed";
  }
}

function copyBySelection(text) {
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "visually-hidden";
  const focused = document.activeElement;
  document.body.append(field);
  field.select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  field.remove();
  if (focused) focused.focus();
  return copied;
}

// The permalink's button: shares or copies the link the permalink holds now and says so in
// its status (a live region), again when pressed again.
export function initPermalinkButton({ button, link, status, strings }) {
  if (navigator.share) button.textContent = strings.shareLink;
  button.addEventListener("click", async () => {
    const url = new URL(link.getAttribute("href"), window.location.href).href;
    const outcome = await shareLink(url, document.title);
    const message = { copied: strings.linkCopied, shared: strings.linkShared, failed: strings.linkNotCopied }[outcome];
    status.textContent = "";
    // A new text in a cleared region is announced even when it is the same as before.
    if (message) setTimeout(() => (status.textContent = message), 50);
  });
}
