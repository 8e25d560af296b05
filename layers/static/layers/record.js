// The small map of a record page: its published geometry over the base map.
(function () {
  "use strict";

  function initRecordMap(element) {
    const geometry = JSON.parse(document.getElementById("record-geometry").textContent);
    const strings = JSON.parse(document.getElementById("record-map-strings").textContent);
    // A small illustration, not a place to navigate: the page text says everything.
    const map = L.map(element, { scrollWheelZoom: false, keyboard: false, zoomControl: false });
    // Leaflet's own words in the page's language: its buttons' titles and its credit's title
    // (the credit is HTML in Leaflet, so it is built as a node and serialised, escaped).
    L.control.zoom({ zoomInTitle: strings.zoomIn, zoomOutTitle: strings.zoomOut }).addTo(map);
    const credit = document.createElement("a");
    credit.href = "https://leafletjs.com";
    credit.title = strings.leafletTitle;
    credit.textContent = "Leaflet";
    map.attributionControl.setPrefix(credit.outerHTML);
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    if (!geometry) {
      map.setView([0, 0], 1);
      return;
    }
    const layer = L.geoJSON(geometry, {
      style: { color: "#1f4e9c", weight: 3, fillOpacity: 0.2 },
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { radius: 9, color: "#1b1b1b", weight: 2, fillColor: "#1f4e9c", fillOpacity: 0.9 }),
      interactive: false,
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [20, 20] });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("record-map");
    if (element) initRecordMap(element);
  });
})();
