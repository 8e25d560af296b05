// The layers-and-filters form is plain HTML rendered by the server (labels translated,
// keyboard and screen reader friendly); this module reads it into a state and back.

export function readForm(form, config) {
  const data = new FormData(form);
  const layers = data.getAll("layers").map(String);
  const filters = {};
  for (const layer of config.layers) {
    for (const key of layer.filters) {
      const values = data.getAll(`${layer.id}.${key}`).map(String).filter(Boolean);
      if (values.length) (filters[layer.id] ||= {})[key] = values;
    }
  }
  const styles = {};
  for (const layer of config.layers) {
    const chosen = data.get(`${layer.id}:style`);
    if (chosen && layer.styleOptions.includes(String(chosen))) styles[layer.id] = String(chosen);
  }
  return { layers, filters, styles };
}

// Filters and colours never contradict: filtering a layer by one of the properties it can
// be coloured by ("fully accessible for wheelchair users") colours it by that property,
// unless it is already coloured by another of the filtered ones. Returns whether it changed.
export function alignStyles(form, config, state) {
  let changed = false;
  for (const layer of config.layers) {
    if (!layer.styleFilter) continue;
    const filtered = ((state.filters[layer.id] || {})[layer.styleFilter] || []).filter((v) => layer.styleOptions.includes(v));
    const current = state.styles[layer.id] || layer.styleBy;
    if (filtered.length && !filtered.includes(current)) {
      state.styles[layer.id] = filtered[0];
      const radio = form.querySelector(`input[name="${layer.id}:style"][value="${filtered[0]}"]`);
      if (radio) radio.checked = true;
      changed = true;
    }
  }
  return changed;
}

export function writeForm(form, config, state) {
  if (state.layers) {
    for (const box of form.querySelectorAll('input[name="layers"]')) box.checked = state.layers.includes(box.value);
  }
  for (const layer of config.layers) {
    if (layer.styleOptions.length) {
      const chosen = (state.styles || {})[layer.id] || layer.styleBy;
      for (const radio of form.querySelectorAll(`input[name="${layer.id}:style"]`)) radio.checked = radio.value === chosen;
    }
    for (const key of layer.filters) {
      const wanted = (state.filters[layer.id] || {})[key] || [];
      for (const field of form.querySelectorAll(`[name="${layer.id}.${key}"]`)) {
        if (field.tagName === "SELECT") field.value = wanted[0] || "";
        else field.checked = wanted.includes(field.value);
      }
      if (wanted.length) {
        const details = form.querySelector(`[data-layer="${layer.id}"] details`);
        if (details) details.open = true;
      }
    }
  }
}

// The query string of one layer's filters, as the tiles and the list read it.
export function layerQuery(filters, layerId) {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(filters[layerId] || {}).sort()) params.set(key, values.join(","));
  return params.toString();
}

export function countFilters(form, state) {
  for (const badge of form.querySelectorAll("[data-filter-count]")) {
    const byKey = state.filters[badge.dataset.filterCount] || {};
    const count = Object.values(byKey).reduce((sum, values) => sum + values.length, 0);
    badge.textContent = count ? ` (${count})` : "";
  }
}
