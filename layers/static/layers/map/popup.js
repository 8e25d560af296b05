// Popup content for a feature of a tile or a row of the list: text nodes only.
import { el } from "./dom.js";

// Record values hold codes ("hazardous", "glass,paper"); the page's config has their
// translated labels.
function displayValue(layer, name, value, numberFormat, strings) {
  if (value === undefined || value === null || value === "") return "";
  const choices = layer.choices[name] || {};
  if (typeof value === "boolean") return value ? strings.yes : strings.no;
  if (typeof value === "number") return numberFormat.format(value);
  const text = String(value);
  if (Object.keys(choices).length && text.includes(",")) {
    return text.split(",").map((part) => choices[part] || part).join(", ");
  }
  return choices[text] || text;
}

export function featureTitle(layer, properties) {
  if (properties.name) return String(properties.name);
  if (properties.species_uk) return String(properties.species_uk);
  return layer.title;
}

// A status the entry shows in words beside the colour (``Registry.status_badge``): the
// accessibility layer's official assessment, with its year, or that there is none.
function badgeText(badge, properties) {
  if (!badge) return "";
  const date = properties[badge.dateProperty];
  const status = badge.labels[properties[badge.property]];
  if (!date || !status) return badge.missing;
  return badge.text.replace("%(year)s", String(date).slice(0, 4)).replace("%(status)s", status);
}

export function featurePopupModel(layer, properties, recordUrl, strings, numberFormat, styleBy = layer.styleBy) {
  const rows = [];
  // What the colour shows comes first, so the popup reads like the dot it opened from.
  const popup = layer.popup.includes(styleBy) ? [styleBy, ...layer.popup.filter((name) => name !== styleBy)] : layer.popup;
  for (const name of popup) {
    const value = displayValue(layer, name, properties[name], numberFormat, strings);
    if (value && value !== featureTitle(layer, properties)) rows.push({ label: layer.labels[name] || name, value });
  }
  return {
    layerTitle: layer.title,
    title: featureTitle(layer, properties),
    badge: badgeText(layer.badge, properties),
    rows,
    url: recordUrl.replace("{collection}", layer.id).replace("{id}", String(properties.id)),
  };
}

export function listRowPopupModel(layer, row) {
  return {
    layerTitle: layer.title,
    title: row.title,
    rows: row.attributes,
    address: row.address,
    url: row.url,
  };
}

export function popupContent(model, strings) {
  return el(
    "div",
    { class: "popup" },
    el("p", { class: "popup-layer" }, model.layerTitle),
    el("h2", { class: "popup-title" }, model.title),
    model.address ? el("p", { class: "popup-address" }, model.address) : null,
    model.badge ? el("p", { class: "popup-badge" }, model.badge) : null,
    model.rows.length
      ? el("dl", { class: "popup-rows" }, model.rows.map((row) => el("div", {}, el("dt", {}, row.label), el("dd", {}, row.value))))
      : null,
    el("p", {}, el("a", { href: model.url, class: "popup-link" }, strings.openRecord)),
  );
}
