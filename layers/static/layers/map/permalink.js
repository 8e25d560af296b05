// The permalink: view, visible layers and filters in the URL hash, e.g.
// #map=15/49.42160/26.99650&layers=accessibility,trees&trees.condition=hazardous
// and, for a layer coloured by another than its default property, style=accessibility:hearing

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
  for (const [key, value] of params) {
    const dot = key.indexOf(".");
    if (dot < 1) continue;
    const layer = key.slice(0, dot);
    (state.filters[layer] ||= {})[key.slice(dot + 1)] = value.split(",").filter(Boolean);
  }
  return state;
}

export function formatPermalink({ view, layers, filters, styles = {} }) {
  const parts = [`map=${view.zoom}/${view.lat.toFixed(5)}/${view.lon.toFixed(5)}`, `layers=${layers.join(",")}`];
  const chosen = Object.entries(styles).map(([layer, property]) => `${layer}:${encodeURIComponent(property)}`);
  if (chosen.length) parts.push(`style=${chosen.join(",")}`);
  for (const [layer, byKey] of Object.entries(filters)) {
    for (const [key, values] of Object.entries(byKey)) {
      if (values.length) parts.push(`${layer}.${key}=${values.map(encodeURIComponent).join(",")}`);
    }
  }
  return `#${parts.join("&")}`;
}
