// Small maps beside a change: the old geometry in grey, the new one in blue.
(function () {
  "use strict";

  function showGeometries(element) {
    const source = document.getElementById(element.dataset.geometrySource);
    if (!source) return;
    const geometry = JSON.parse(source.textContent) || {};
    const map = L.map(element, { scrollWheelZoom: false, attributionControl: true });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 20 }).addTo(map);
    const layers = L.featureGroup().addTo(map);
    const styles = {
      old: { color: "#6b6b6b", weight: 3, dashArray: "5 4", fillOpacity: 0.1, radius: 8 },
      new: { color: "#1f5fbf", weight: 3, fillOpacity: 0.2, radius: 6 },
    };
    ["old", "new"].forEach((kind) => {
      if (!geometry[kind]) return;
      L.geoJSON(geometry[kind], {
        style: () => styles[kind],
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, styles[kind]),
        interactive: false,
      }).addTo(layers);
    });
    if (layers.getLayers().length) map.fitBounds(layers.getBounds(), { maxZoom: 18, padding: [20, 20] });
    else map.setView([0, 0], 1);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".review-map").forEach(showGeometries);
  });
})();
