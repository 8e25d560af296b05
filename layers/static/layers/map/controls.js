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

// The bottom sheet of a phone-sized window: the controls and the list over the map, collapsed
// to its heading, half the map's height or all of it. Its toggle is a real button with
// aria-expanded (a screen reader says whether it is open); the size button (aria-pressed)
// takes it to the whole height and back; the header may be dragged. The controls inside it
// open by their own disclosure button, so that the list comes first. On wider screens the
// sheet's wrappers box nothing and its buttons are not shown (CSS), so none of this shows.
export function initSheet(layout, { onResize = () => {} } = {}) {
  const sheet = layout.querySelector(".map-sheet");
  const header = sheet.querySelector(".sheet-header");
  const toggle = sheet.querySelector("#map-sheet-toggle");
  const size = sheet.querySelector("#map-sheet-size");
  const controlsToggle = sheet.querySelector("#map-controls-toggle");
  const narrow = window.matchMedia("(max-width: 40rem)");

  function set(state) {
    const before = layout.dataset.sheet;
    layout.dataset.sheet = state;
    toggle.setAttribute("aria-expanded", String(state !== "collapsed"));
    size.hidden = state === "collapsed";
    size.setAttribute("aria-pressed", String(state === "full"));
    if (before !== state && narrow.matches) onResize();
  }

  let dragged = false;
  toggle.addEventListener("click", () => {
    if (dragged) return;
    set(layout.dataset.sheet === "collapsed" ? "half" : "collapsed");
  });
  size.addEventListener("click", () => set(layout.dataset.sheet === "full" ? "half" : "full"));
  controlsToggle.addEventListener("click", () => {
    const open = layout.dataset.controls !== "open";
    if (open) layout.dataset.controls = "open";
    else delete layout.dataset.controls;
    controlsToggle.setAttribute("aria-expanded", String(open));
  });
  // Escape anywhere in the open sheet closes it and goes back to its toggle.
  sheet.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !narrow.matches || layout.dataset.sheet === "collapsed") return;
    set("collapsed");
    toggle.focus();
  });

  // Dragging the header moves the sheet's top edge; it settles at the nearest of the three.
  // The moves are followed on the document: a mouse leaves the header at once (a finger's
  // pointer stays captured by what it touched, so a tap remains a click on the toggle).
  let drag = null;
  const move = (event) => {
    const dy = event.clientY - drag.startY;
    if (!drag.moved && Math.abs(dy) < 8) return;
    drag.moved = true;
    layout.classList.add("sheet-dragging");
    const top = Math.min(Math.max(drag.top + dy, 0), drag.height - header.offsetHeight);
    layout.style.setProperty("--sheet-top", `${top}px`);
  };
  const end = () => {
    document.removeEventListener("pointermove", move);
    document.removeEventListener("pointerup", end);
    document.removeEventListener("pointercancel", end);
    if (drag.moved) {
      const top = parseFloat(layout.style.getPropertyValue("--sheet-top"));
      const stops = { full: 0, half: drag.height / 2, collapsed: drag.height - header.offsetHeight };
      const [nearest] = Object.entries(stops).sort((a, b) => Math.abs(a[1] - top) - Math.abs(b[1] - top))[0];
      dragged = true; // the click that may end a drag is not a tap on the toggle
      setTimeout(() => (dragged = false), 0);
      set(nearest);
    }
    layout.classList.remove("sheet-dragging");
    drag = null;
  };
  header.addEventListener("pointerdown", (event) => {
    if (!narrow.matches || drag || event.button > 0 || event.target.closest("#map-sheet-size")) return;
    const box = layout.getBoundingClientRect();
    drag = { startY: event.clientY, top: sheet.getBoundingClientRect().top - box.top, height: box.height, moved: false };
    dragged = false;
    document.addEventListener("pointermove", move);
    document.addEventListener("pointerup", end);
    document.addEventListener("pointercancel", end);
  });
  narrow.addEventListener("change", onResize);

  set(layout.dataset.sheet || "collapsed");
  return {
    state: () => layout.dataset.sheet,
    set,
    // Give the map the screen (a record shown from the list, its popup opening): the sheet
    // closes to its heading, whose toggle brings the list back.
    reveal() {
      if (narrow.matches) set("collapsed");
    },
  };
}
