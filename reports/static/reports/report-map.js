// The small map of a report (its public page, the staff's page): the report's place, and on
// the staff's page the nearest records of its registry, each named in the list beside it.
(function () {
  "use strict";

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("report-detail-map");
    const geometry = readJson("report-geometry");
    if (!element || !geometry || !window.L) return;
    const map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    const here = L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
    L.circleMarker(here, { radius: 10, color: "#1b1b1b", weight: 3, fillColor: "#b3261e", fillOpacity: 0.9, interactive: false }).addTo(map);
    const bounds = L.latLngBounds([here]);
    for (const row of readJson("report-nearest") || []) {
      if (!row.coordinates) continue;
      const point = L.latLng(row.coordinates[1], row.coordinates[0]);
      L.circleMarker(point, { radius: 7, color: "#1b1b1b", weight: 1.5, fillColor: "#1f4e9c", fillOpacity: 0.9 })
        .bindTooltip(row.title)
        .addTo(map);
      bounds.extend(point);
    }
    map.fitBounds(bounds, { maxZoom: 17, padding: [24, 24] });
  });
})();
