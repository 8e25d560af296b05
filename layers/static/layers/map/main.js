// The public map: base map, hromada boundary, one vector-tile layer per registry, with the
// server-rendered form for layers and filters, the list, search, "near me" and the permalink.
// Everything the page needs (URLs, labels, translated strings) comes from json_script.
import { alignStyles, countFilters, initSheet, layerQuery, readForm, writeForm } from "./controls.js";
import { debounce, el, latestOnly, leafletPrefix } from "./dom.js";
import { createList } from "./list.js";
import { isCount, MvtLayer } from "./mvt-layer.js";
import { formatPermalink, initPermalinkButton, parsePermalink } from "./permalink.js";
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
    const shape = drawing.shapes[value] || "circle";
    const style = {
      fill,
      radius,
      fillOpacity: drawing.fillOpacity,
      weight: emphasised ? Math.max(drawing.weight, 1.5) : drawing.weight,
      stroke: emphasised ? "#1b1b1b" : drawing.stroke,
      shape,
      symbol: drawing.symbols[shape] || drawing.symbols.circle,
    };
    // A line's value is told by its dashes too, an area's by its hatching.
    const dash = drawing.dashes[value] || drawing.dash;
    if (dash.length) style.dash = dash;
    if (drawing.hatches[value]) style.hatch = drawing.hatches[value];
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
  checkSelectedLayer(form, initial.select);

  const map = L.map(element, { maxZoom: config.maxZoom, keyboard: true, zoomControl: false });
  // Leaflet's own words in the page's language.
  L.control.zoom({ zoomInTitle: strings.zoomInButton, zoomOutTitle: strings.zoomOutButton }).addTo(map);
  map.attributionControl.setPrefix(leafletPrefix(strings.leafletTitle));
  map.on("popupopen", (event) => {
    const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", strings.closePopup);
  });
  // On a phone the controls and the list are in a sheet over the map; the map takes the
  // height the sheet leaves it.
  const sheet = initSheet(document.querySelector(".map-layout"), { onResize: () => map.invalidateSize() });
  if (initial.view) map.setView([initial.view.lat, initial.view.lon], initial.view.zoom);
  else map.setView([lat, lon], Number(element.dataset.zoom));
  // The base map is decoration: without it (tile host down) the data layers still work.
  L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: config.maxZoom }).addTo(map);

  // Overlays that are not registries (reports/static/reports/map-overlay.js) add themselves.
  document.dispatchEvent(new CustomEvent("geoportal:map", { detail: { map } }));

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
        extent: layer.extent,
        zIndex: 10 + layer.zIndex,
        className: `mvt-layer mvt-layer-${layer.id}`,
      }),
    );
  }
  const byId = new Map(config.layers.map((layer) => [layer.id, layer]));

  const popup = L.popup({ maxWidth: 320, autoPanPadding: [24, 24] });
  // The record whose popup is open: outlined on the map and kept in the permalink, so that
  // a link (a record page's "open on the big map") opens the map with it selected.
  let selection = null;
  const highlight = L.layerGroup().addTo(map);
  function openPopup(latlng, model, focus, selected) {
    popup.setLatLng(latlng).setContent(popupContent(model, strings)).openOn(map);
    selection = { layer: selected.layer, id: String(selected.id) };
    markSelected(highlight, selected.found, latlng);
    updatePermalink(currentState());
    // Someone who got here by keyboard continues in the popup, not back at the top.
    if (focus) popup.getElement().querySelector(".popup-link").focus();
  }
  map.on("popupclose", () => {
    selection = null;
    highlight.clearLayers();
    updatePermalink(currentState());
  });
  // Tiles carry a record's integer key and only what the style reads; its public id and
  // popup values are fetched when it is opened (``key``: that integer or the public id).
  // null: no such published record (unpublished since the tile was drawn, a stale link).
  async function fetchRecord(layerId, key) {
    const url = config.featureUrl.replace("{collection}", encodeURIComponent(layerId)).replace("{key}", encodeURIComponent(String(key)));
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`${response.status} ${url}`);
    return response.json();
  }

  // A feature of a layer as the tiles hold it, with its fetched record: its popup, at the
  // point itself for a point.
  function openFeature(id, found, latlng, record, focus = false) {
    const properties = { ...record.properties, id: record.id };
    const model = featurePopupModel(byId.get(id), properties, config.recordUrl, strings, numberFormat, styles.get(id));
    const at = found.feature.type === 1 ? found.rings[0][0] : latlng;
    openPopup(at, model, focus, { layer: id, id: record.id, found });
  }

  // Only the latest click opens its popup when answers come back out of order.
  const latestClick = latestOnly();
  function clickFeature(id, feature, latlng) {
    const found = layers.get(id).findFeature(feature.id) || { feature, rings: [[latlng]] };
    const current = latestClick();
    const failed = () => popup.setLatLng(latlng).setContent(el("p", { class: "popup" }, strings.recordLoadFailed)).openOn(map);
    fetchRecord(id, feature.id)
      .then((record) => {
        if (!current()) return;
        if (record) openFeature(id, found, latlng, record);
        else failed();
      })
      .catch(() => current() && failed());
  }

  map.on("click", (event) => {
    // The topmost layer under the click answers first.
    const visible = [...config.layers]
      .sort((a, b) => b.zIndex - a.zIndex)
      .map((layer) => layer.id)
      .filter((id) => map.hasLayer(layers.get(id)));
    for (const id of visible) {
      const feature = layers.get(id).featureAt(event.latlng);
      if (feature && isCount(feature)) {
        // A count of a big layer's cell: closer, towards it, until its records are drawn.
        const found = layers.get(id).latLngOf(feature);
        map.setView(found || event.latlng, Math.min(map.getZoom() + 2, byId.get(id).overviewBelow));
        return;
      }
      if (feature) {
        clickFeature(id, feature, event.latlng);
        return;
      }
    }
  });

  const showRow = (row) => {
    sheet.reveal();
    const latlng = L.latLng(row.lat, row.lon);
    map.setView(latlng, Math.max(map.getZoom(), 17));
    openPopup(latlng, listRowPopupModel(byId.get(row.collection), row), true, { layer: row.collection, id: row.id });
  };

  // The record a link selects (by its public id) is looked up for its integer key, and
  // opens once a tile of its layer on screen holds that; when its layer has loaded without
  // it (filtered out, elsewhere) or it is not published, the selection is dropped.
  let pending = null;
  function selectPending(select) {
    pending = select ? { layer: select.layer, id: select.id, record: null } : null;
    const asked = pending;
    if (!asked) return;
    fetchRecord(asked.layer, asked.id)
      .then((record) => {
        if (pending !== asked) return;
        if (!record) pending = null;
        else {
          asked.record = record;
          openPending();
        }
      })
      .catch(() => {
        if (pending === asked) pending = null;
      });
  }
  function openPending() {
    const layer = pending && pending.record && layers.get(pending.layer);
    const found = layer && map.hasLayer(layer) ? layer.findFeature(pending.record.fid) : null;
    if (!found) return;
    const { layer: id, record } = pending;
    pending = null;
    openFeature(id, found, map.getCenter(), record);
  }
  for (const [id, layer] of layers) {
    layer.on("tilefeatures", openPending);
    layer.on("load", () => {
      openPending();
      if (pending && pending.record && pending.layer === id) pending = null;
    });
  }
  selectPending(initial.select);
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
    const hash = formatPermalink({ view: { zoom: map.getZoom(), lat: centre.lat, lon: centre.lng }, layers: state.layers, filters: state.filters, styles: chosen, select: selection });
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
    checkSelectedLayer(form, state.select);
    if (state.view) map.setView([state.view.lat, state.view.lon], state.view.zoom);
    selectPending(state.select);
    onFormChange();
  });
  initPermalinkButton({
    button: document.getElementById("map-permalink-share"),
    link: document.getElementById("map-permalink"),
    status: document.getElementById("map-permalink-status"),
    strings,
  });

  initSearch({ map, config, strings, onShow: showRow, list });
  onFormChange();
  // Tests and the curious can ask the map what it shows; nothing else is global.
  element.mapView = { map, layers, sheet, selection: () => selection };
  return map;
}

// A record selected in a link is shown with its layer switched on.
function checkSelectedLayer(form, select) {
  if (!select) return;
  const box = [...form.querySelectorAll('input[name="layers"]')].find((input) => input.value === select.layer);
  if (box) box.checked = true;
}

// Outline the selected record: a dark and white ring around a point, its line or its
// area's edge traced over it; visible on any colour of the base map and the layers.
function markSelected(group, found, latlng) {
  group.clearLayers();
  const dark = { interactive: false, color: "#1b1b1b", weight: 6, opacity: 1, fill: false };
  const light = { interactive: false, color: "#ffffff", weight: 2.5, opacity: 1, fill: false };
  if (found && found.feature.type !== 1) {
    const shape = found.feature.type === 3 ? L.polygon : L.polyline;
    shape(found.rings, dark).addTo(group);
    shape(found.rings, light).addTo(group);
    return;
  }
  const at = found ? found.rings[0][0] : latlng;
  L.circleMarker(at, { ...dark, radius: 15 }).addTo(group);
  L.circleMarker(at, { ...light, radius: 15 }).addTo(group);
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("map");
  const config = JSON.parse(document.getElementById("map-config").textContent);
  if (element) initMap(element, config);
});
