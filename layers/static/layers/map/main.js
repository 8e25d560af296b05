// The public map: base map, hromada boundary, one vector-tile layer per registry, with the
// server-rendered form for layers and filters, the list, search, "near me" and the permalink.
// Everything the page needs (URLs, labels, translated strings) comes from json_script.
import { alignStyles, countFilters, layerQuery, readForm, writeForm } from "./controls.js";
import { debounce } from "./dom.js";
import { createList } from "./list.js";
import { MvtLayer } from "./mvt-layer.js";
import { formatPermalink, parsePermalink } from "./permalink.js";
import { featurePopupModel, listRowPopupModel, popupContent } from "./popup.js";
import { initSearch } from "./search.js";

function cssColour(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

// Colours are custom properties of the layer stylesheet (made from the registry entries),
// so that the legend swatches and the map can never disagree. How a layer is drawn (dot
// sizes by zoom, opacity, outline, dashes, point shapes) comes from its entry too, as
// ``layer.drawing``. ``styleBy()`` is the property the layer is coloured by now (the
// visitor may choose among ``layer.styleOptions``).
function styleFor(layer, styleBy) {
  const colour = (value) => cssColour(`--c-${layer.id}-${value}`, cssColour(`--c-${layer.id}`, "#555"));
  const drawing = layer.drawing;
  return (properties, zoom) => {
    const value = properties[styleBy()];
    const fill = colour(value);
    const [, radius] = drawing.radius.find(([from]) => zoom >= from) || drawing.radius[drawing.radius.length - 1];
    const emphasised = drawing.emphasis && properties[drawing.emphasis];
    const style = {
      fill,
      radius,
      fillOpacity: drawing.fillOpacity,
      weight: emphasised ? Math.max(drawing.weight, 1.5) : drawing.weight,
      stroke: emphasised ? "#1b1b1b" : drawing.stroke,
      shape: drawing.shapes[value] || "circle",
    };
    if (drawing.dash.length) style.dash = drawing.dash;
    if (layer.geometry === "line") style.stroke = fill;
    return style;
  };
}

function initMap(element, config) {
  const strings = config.strings;
  const form = document.getElementById("map-layers");
  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "uk");
  const [lat, lon] = element.dataset.center.split(",").map(Number);
  const initial = parsePermalink(window.location.hash);
  writeForm(form, config, initial);

  const map = L.map(element, { maxZoom: config.maxZoom, keyboard: true });
  if (initial.view) map.setView([initial.view.lat, initial.view.lon], initial.view.zoom);
  else map.setView([lat, lon], Number(element.dataset.zoom));
  // The base map is decoration: without it (tile host down) the data layers still work.
  L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: config.maxZoom }).addTo(map);

  const boundary = JSON.parse(document.getElementById("hromada-boundary").textContent);
  if (boundary) {
    L.geoJSON(boundary, { style: { color: "#1f4e9c", weight: 3, fill: false }, interactive: false }).addTo(map);
  }

  // What each layer is coloured by now: its entry's default until the visitor chooses.
  const styles = new Map(config.layers.map((layer) => [layer.id, (initial.styles || {})[layer.id] || layer.styleBy]));
  const layers = new Map();
  for (const layer of config.layers) {
    layers.set(
      layer.id,
      new MvtLayer({
        urlTemplate: config.tileUrl.replace("{collection}", layer.id),
        layerName: layer.id,
        style: styleFor(layer, () => styles.get(layer.id)),
        minZoom: layer.minZoom,
        maxNativeZoom: config.maxZoom,
        zIndex: 10 + layer.zIndex,
        className: `mvt-layer mvt-layer-${layer.id}`,
      }),
    );
  }
  const byId = new Map(config.layers.map((layer) => [layer.id, layer]));

  const popup = L.popup({ maxWidth: 320, autoPanPadding: [24, 24] });
  function openPopup(latlng, model, focus) {
    popup.setLatLng(latlng).setContent(popupContent(model, strings)).openOn(map);
    // Someone who got here by keyboard continues in the popup, not back at the top.
    if (focus) popup.getElement().querySelector(".popup-link").focus();
  }

  map.on("click", (event) => {
    // The topmost layer under the click answers first.
    const visible = [...config.layers]
      .sort((a, b) => b.zIndex - a.zIndex)
      .map((layer) => layer.id)
      .filter((id) => map.hasLayer(layers.get(id)));
    for (const id of visible) {
      const feature = layers.get(id).featureAt(event.latlng);
      if (feature) {
        const model = featurePopupModel(byId.get(id), feature.properties, config.recordUrl, strings, numberFormat, styles.get(id));
        openPopup(event.latlng, model, false);
        return;
      }
    }
  });

  const showRow = (row) => {
    const latlng = L.latLng(row.lat, row.lon);
    map.setView(latlng, Math.max(map.getZoom(), 17));
    openPopup(latlng, listRowPopupModel(byId.get(row.collection), row), true);
  };
  const list = createList({ container: document.getElementById("map-list-body"), config, strings, onShow: showRow });

  function currentState() {
    return readForm(form, config);
  }

  function queries(state) {
    return Object.fromEntries(config.layers.map((layer) => [layer.id, layerQuery(state.filters, layer.id)]));
  }

  function bboxString() {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
      .map((v) => v.toFixed(6))
      .join(",");
  }

  function updatePermalink(state) {
    const centre = map.getCenter();
    // Only a colouring other than the layer's default is worth a place in the link.
    const chosen = Object.fromEntries(Object.entries(state.styles).filter(([id, by]) => byId.get(id).styleBy !== by));
    const hash = formatPermalink({ view: { zoom: map.getZoom(), lat: centre.lat, lon: centre.lng }, layers: state.layers, filters: state.filters, styles: chosen });
    window.history.replaceState(null, "", hash);
    document.getElementById("map-permalink").href = window.location.pathname + hash;
    // Switching the language keeps the same view.
    const next = document.querySelector('.lang-switch input[name="next"]');
    if (next) next.value = window.location.pathname + hash;
  }

  function updateZoomNotes() {
    for (const note of document.querySelectorAll(".layer-note[data-min-zoom]")) {
      const id = note.id.replace(/^layer-/, "").replace(/-zoom$/, "");
      note.hidden = !currentState().layers.includes(id) || map.getZoom() >= Number(note.dataset.minZoom);
    }
  }

  // Colour each layer by what the visitor chose; redraw from the tiles held when it changed.
  function syncStyles(state) {
    for (const layer of config.layers) {
      if (!layer.styleOptions.length) continue;
      const wanted = state.styles[layer.id] || layer.styleBy;
      const caption = form.querySelector(`[data-legend-caption="${layer.id}"]`);
      const label = form.querySelector(`label[for="s-${layer.id}-${wanted}"]`);
      if (caption && label) caption.textContent = strings.colouredBy.replace("%(need)s", label.textContent);
      if (styles.get(layer.id) === wanted) continue;
      styles.set(layer.id, wanted);
      layers.get(layer.id).restyle();
    }
  }

  function syncLayers(state) {
    const q = queries(state);
    for (const [id, layer] of layers) {
      layer.setQuery(q[id]);
      const wanted = state.layers.includes(id);
      if (wanted && !map.hasLayer(layer)) layer.addTo(map);
      if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
    }
    countFilters(form, state);
  }

  const refreshList = debounce(() => {
    const state = currentState();
    list.refresh({ layers: state.layers, queries: queries(state), bbox: bboxString() });
  }, 250);

  function onFormChange() {
    const state = currentState();
    alignStyles(form, config, state);
    syncStyles(state);
    syncLayers(state);
    updatePermalink(state);
    updateZoomNotes();
    refreshList();
  }

  form.addEventListener("change", onFormChange);
  form.addEventListener("submit", (event) => event.preventDefault());
  map.on("moveend", () => {
    updatePermalink(currentState());
    updateZoomNotes();
    refreshList();
  });
  // Another permalink pasted into the same tab.
  window.addEventListener("hashchange", () => {
    const state = parsePermalink(window.location.hash);
    writeForm(form, config, state);
    if (state.view) map.setView([state.view.lat, state.view.lon], state.view.zoom);
    onFormChange();
  });

  initSearch({ map, config, strings, onShow: showRow, list });
  onFormChange();
  // Tests and the curious can ask the map what it shows; nothing else is global.
  element.mapView = { map, layers };
  return map;
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("map");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  if (element) initMap(element, config);
});
