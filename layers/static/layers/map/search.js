// Finding things on the public map: the search over every layer (by name, address, or what
// a place is or takes), "near me" (the visitor on the map, the list nearest first) and the
// nearest question of a layer ("the nearest site that takes glass"), which answers from the
// visitor's position, else from the map centre, flies there and says the answer in words.
// The forms are server-rendered HTML (map.html); URLs and strings come from the config.
import { clear, el, latestOnly } from "./dom.js";
import { fill, formatDistance, recordItem } from "./list.js";

const pageLanguage = () => document.documentElement.lang || "uk";
const nearParam = (latlng) => `${latlng.lat.toFixed(6)},${latlng.lng.toFixed(6)}`;

async function getJson(url, params) {
  const response = await fetch(`${url}?${params}`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${response.status}`);
  return response.json();
}

// One section per layer (drawn as the list's), best layer first, each saying when it
// shows only the first few.
function searchSections(data, strings, onShow) {
  const rows = new Map(data.layers.map((layer) => [layer.collection, []]));
  for (const row of data.results) rows.get(row.collection)?.push(row);
  return data.layers.map((layer) => {
    const headingId = `search-${layer.collection}`;
    return el(
      "section",
      { class: "list-layer search-layer", "aria-labelledby": headingId, "data-layer": layer.collection },
      el("h3", { id: headingId }, layer.title),
      el("ul", { class: "record-list" }, rows.get(layer.collection).map((row) => recordItem(row, strings, onShow))),
      layer.more ? el("p", { class: "hint search-more" }, fill(strings.searchMore, { layer: layer.title, shown: layer.shown })) : null,
    );
  });
}

function initQuery(config, strings, onShow) {
  const form = document.getElementById("map-search");
  const results = document.getElementById("map-search-results");
  const isCurrent = latestOnly();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = isCurrent();
    const q = form.elements.q.value.trim();
    clear(results);
    if (q.length < 2) {
      results.append(el("p", { class: "status" }, strings.searchTooShort));
      return;
    }
    results.append(el("p", { class: "status" }, strings.loading));
    results.setAttribute("aria-busy", "true");
    try {
      const data = await getJson(config.searchUrl, new URLSearchParams({ q }));
      if (!current()) return;
      clear(results);
      if (!data.results.length) results.append(el("p", { class: "status" }, strings.noResults));
      else results.append(...searchSections(data, strings, onShow));
    } catch {
      if (current()) clear(results).append(el("p", { class: "status" }, strings.loadFailed));
    } finally {
      if (current()) results.setAttribute("aria-busy", "false");
    }
  });
}

function initNearMe(map, strings, onLocated) {
  const button = document.getElementById("map-near-me");
  const status = document.getElementById("map-near-me-status");
  let marker = null;
  button.addEventListener("click", () => {
    if (!navigator.geolocation) {
      status.textContent = strings.locationFailed;
      return;
    }
    status.textContent = strings.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        if (marker) marker.remove();
        marker = L.circleMarker(latlng, { radius: 9, color: "#1f4e9c", weight: 3, fillColor: "#ffffff", fillOpacity: 1 })
          .bindTooltip(strings.hereYouAre)
          .addTo(map);
        onLocated(latlng);
        map.setView(latlng, Math.max(map.getZoom(), 16));
        status.textContent = strings.located;
      },
      () => {
        status.textContent = strings.locationFailed;
      },
      { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 },
    );
  });
}

// The answer as a sentence whose record title is the link to its page.
function answerSentence(template, words, row) {
  const [before, after = ""] = template.split("%(title)s");
  return el("p", { class: "nearest-sentence" }, fill(before, words), el("a", { href: row.url }, row.title), fill(after, words));
}

function initNearest(form, { map, config, strings, onShow, where }) {
  const collection = form.dataset.nearest;
  const select = form.querySelector("select");
  const question = form.querySelector("label").textContent.trim();
  // The live region says the answer; the next nearest follow it, outside, unannounced.
  const answer = document.getElementById(`nearest-${collection}-answer`);
  const others = el("div", { class: "nearest-others" });
  answer.after(others);
  const isCurrent = latestOnly();
  let highlight = null;

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = isCurrent();
    const from = where.origin ? "you" : "centre";
    const origin = where.origin || map.getCenter();
    const words = { question, value: select.selectedOptions[0].textContent.trim() };
    const params = new URLSearchParams({ collection, near: nearParam(origin) });
    params.set(select.name, select.value);
    clear(others);
    clear(answer).append(el("p", { class: "status" }, strings.loading));
    try {
      const data = await getJson(config.nearestUrl, params);
      if (!current()) return;
      clear(answer);
      if (highlight) highlight.remove();
      if (!data.results.length) {
        answer.append(el("p", { class: "nearest-sentence" }, fill(strings.nearestNone, words)));
        return;
      }
      const [first, ...rest] = data.results;
      const template = from === "you" ? strings.nearestFromYou : strings.nearestFromCentre;
      answer.append(answerSentence(template, { ...words, distance: formatDistance(first.distance_m, pageLanguage()) }, first));
      if (rest.length) {
        others.append(
          el("p", { class: "hint nearest-others-title" }, strings.nearestOthers),
          el("ul", { class: "record-list" }, rest.map((row) => recordItem(row, strings, onShow, from))),
        );
      }
      const target = L.latLng(first.lat, first.lon);
      highlight = L.circleMarker(target, { radius: 14, color: "#1b1b1b", weight: 3, fill: false, interactive: false }).addTo(map);
      map.flyTo(target, Math.max(map.getZoom(), 17));
    } catch {
      if (current()) clear(answer).append(el("p", { class: "status" }, strings.loadFailed));
    }
  });
}

// ``list``: the list beside the map, which goes nearest first once the visitor is located.
export function initSearch({ map, config, strings, onShow, list }) {
  const where = { origin: null }; // the visitor's position, once "near me" has found it
  initQuery(config, strings, onShow);
  initNearMe(map, strings, (latlng) => {
    where.origin = latlng;
    list.setOrigin(latlng);
  });
  for (const form of document.querySelectorAll("form[data-nearest]")) {
    initNearest(form, { map, config, strings, onShow, where });
  }
}
