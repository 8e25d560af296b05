// The map of an import: where its rows land (coloured by what each will do) and the
// hromada's boundary, fitted to both so that rows far off (swapped axes, a wrong zone)
// show at once. Leaflet is loaded as a classic script before this module; the data comes
// from the JSON script named by the map element's data-config.

const COLOURS = {
  read: "#1f5fbf",
  new: "#1d6b2f",
  changed: "#b36b00",
  moved: "#5b2a86",
  unchanged: "#6b6b6b",
  refused: "#b00020",
};

function readConfig(element) {
  const node = document.getElementById(element.dataset.config);
  return node ? JSON.parse(node.textContent) : null;
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (match, name) => (name in values ? values[name] : match));
}

function style(status, outside) {
  const colour = COLOURS[status] || COLOURS.read;
  return {
    radius: outside ? 7 : 5,
    color: outside ? "#b00020" : "#1b1b1b",
    weight: outside ? 2.5 : 1,
    fillColor: colour,
    fillOpacity: 0.85,
  };
}

function legend(element, config, statuses, hasOutside) {
  const list = element.parentElement.querySelector("[data-map-legend]");
  if (!list) return;
  const items = [...statuses].map((status) => [style(status, false), config.labels[status] || status]);
  if (hasOutside) items.push([{ ...style("read", true), fillColor: "#fff" }, config.labels.outside]);
  for (const [swatchStyle, text] of items) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "legend-dot";
    swatch.style.backgroundColor = swatchStyle.fillColor;
    swatch.style.borderColor = swatchStyle.color;
    item.append(swatch, document.createTextNode(text));
    list.append(item);
  }
  if (config.boundary) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "legend-line";
    item.append(swatch, document.createTextNode(config.labels.boundary));
    list.append(item);
  }
}

function show(element) {
  const config = readConfig(element);
  if (!config || typeof L === "undefined") return;
  const map = L.map(element, { scrollWheelZoom: false, keyboard: true });
  L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 20 }).addTo(map);
  const bounds = L.latLngBounds([]);
  if (config.boundary) {
    const boundary = L.geoJSON(config.boundary, {
      style: () => ({ color: "#1b1b1b", weight: 2, dashArray: "6 4", fill: false }),
      interactive: false,
    }).addTo(map);
    bounds.extend(boundary.getBounds());
  }
  const statuses = new Set();
  let hasOutside = false;
  const features = L.geoJSON(config.features, {
    pointToLayer: (feature, latlng) => {
      const properties = feature.properties || {};
      return L.circleMarker(latlng, style(properties.status, properties.outside));
    },
    style: (feature) => {
      const properties = feature.properties || {};
      const colour = COLOURS[properties.status] || COLOURS.read;
      return { color: colour, weight: 2, fillOpacity: 0.25 };
    },
    onEachFeature: (feature, layer) => {
      const properties = feature.properties || {};
      statuses.add(properties.status || "read");
      hasOutside = hasOutside || Boolean(properties.outside);
      const parts = [];
      if (properties.row) parts.push(format(config.labels.row || "%(row)s", { row: properties.row }));
      if (properties.name) parts.push(properties.name);
      parts.push(config.labels[properties.status] || "");
      if (properties.outside) parts.push(config.labels.outside);
      layer.bindTooltip(parts.filter(Boolean).join(" · "));
    },
  }).addTo(map);
  if (features.getLayers().length) bounds.extend(features.getBounds());
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
  else {
    const [lat, lon] = (element.dataset.center || "0,0").split(",").map(Number);
    map.setView([lat, lon], Number(element.dataset.zoom || 11));
  }
  legend(element, config, statuses, hasOutside);
  element.importMap = { map, featureCount: () => features.getLayers().length };
}

document.querySelectorAll("[data-config].import-map").forEach(show);
