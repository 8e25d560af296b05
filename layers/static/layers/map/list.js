// The list beside the map: the same records as the map (visible extent, same filters),
// as headings, links and buttons, so keyboard and screen-reader users get the same. Once
// the visitor's position is known ("near me") it is nearest first, with distances.
import { clear, el, latestOnly } from "./dom.js";

// A translated text with its %(name)s placeholders filled in.
export function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? String(values[key]) : match));
}

// "120 м", "1,2 км" on Ukrainian pages, "120 m", "1.2 km" on English ones: metres to the
// nearest ten below a kilometre (a position is rarely better), then kilometres.
export function formatDistance(metres, lang) {
  const tens = Math.max(10, Math.round(metres / 10) * 10);
  if (tens < 1000) return new Intl.NumberFormat(lang, { style: "unit", unit: "meter" }).format(tens);
  const km = metres / 1000;
  return new Intl.NumberFormat(lang, { style: "unit", unit: "kilometer", maximumFractionDigits: km < 10 ? 1 : 0 }).format(km);
}

// ``from``: where the distance is measured from, "you" (the visitor) or "centre" (the map's).
export function recordItem(row, strings, onShow, from = "you") {
  const attributes = row.attributes.length
    ? el("dl", { class: "record-attributes" }, row.attributes.map((a) => el("div", {}, el("dt", {}, a.label), el("dd", {}, a.value))))
    : null;
  const show =
    row.lat !== null && onShow
      ? el("button", { type: "button", class: "button-link", "data-show": row.id }, strings.showOnMap)
      : null;
  if (show) show.addEventListener("click", () => onShow(row));
  return el(
    "li",
    { class: "record-item", "data-collection": row.collection, "data-id": row.id },
    el("h4", { class: "record-item-title" }, el("a", { href: row.url }, row.title)),
    row.address ? el("p", { class: "record-item-address" }, row.address) : null,
    typeof row.distance_m === "number"
      ? el(
          "p",
          // A short line under the title, drawn as the address is.
          { class: "record-item-address record-item-distance" },
          fill(from === "centre" ? strings.fromCentre : strings.fromYou, {
            distance: formatDistance(row.distance_m, document.documentElement.lang || "uk"),
          }),
        )
      : null,
    attributes,
    show,
  );
}

export function createList({ container, config, strings, onShow }) {
  const isCurrent = latestOnly();
  let origin = null; // the visitor's position, once known
  let last = null; // what the list shows now, to show it again nearest first

  async function fetchPage(layer, query, bbox, page) {
    const params = new URLSearchParams(query);
    params.set("collection", layer.id);
    params.set("bbox", bbox);
    params.set("page", String(page));
    if (origin) params.set("near", `${origin.lat.toFixed(6)},${origin.lng.toFixed(6)}`);
    const response = await fetch(`${config.listUrl}?${params}`, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${response.status}`);
    return response.json();
  }

  function section(layer, query, bbox, first, current) {
    const list = el("ul", { class: "record-list" });
    const headingId = `list-${layer.id}`;
    const box = el("section", { class: "list-layer", "aria-labelledby": headingId, "data-layer": layer.id }, el("h3", { id: headingId }, layer.title), list);
    const append = (data) => {
      for (const row of data.results) list.append(recordItem(row, strings, onShow));
      if (!data.results.length && data.page === 1) box.append(el("p", { class: "empty" }, strings.nothingHere));
      if (data.next_page) {
        const more = el("button", { type: "button", class: "button-secondary" }, strings.showMore);
        more.addEventListener("click", async () => {
          more.disabled = true;
          try {
            const next = await fetchPage(layer, query, bbox, data.next_page);
            if (!current()) return;
            more.remove();
            append(next);
            // Keep keyboard focus in the list: on the first record of the new page.
            const firstNew = list.children[(next.page - 1) * 20];
            if (firstNew) firstNew.querySelector("a").focus();
          } catch {
            more.disabled = false;
          }
        });
        box.append(more);
      }
    };
    append(first);
    return box;
  }

  async function refresh({ layers, queries, bbox }) {
    last = { layers, queries, bbox };
    const current = isCurrent();
    container.setAttribute("aria-busy", "true");
    const shown = config.layers.filter((layer) => layers.includes(layer.id));
    try {
      const pages = await Promise.all(shown.map((layer) => fetchPage(layer, queries[layer.id] || "", bbox, 1)));
      if (!current()) return;
      clear(container);
      if (!shown.length) container.append(el("p", { class: "empty" }, strings.noLayers));
      else if (origin) container.append(el("p", { class: "hint list-order" }, strings.nearestFirst));
      shown.forEach((layer, i) => container.append(section(layer, queries[layer.id] || "", bbox, pages[i], current)));
    } catch {
      if (!current()) return;
      clear(container).append(el("p", { class: "empty" }, strings.loadFailed));
    } finally {
      if (current()) container.setAttribute("aria-busy", "false");
    }
  }

  // Nearest ``latlng`` first from now on, with distances; shown again at once.
  function setOrigin(latlng) {
    origin = latlng;
    if (last) refresh(last);
  }

  return { refresh, setOrigin };
}
