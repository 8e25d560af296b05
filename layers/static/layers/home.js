// The front page map: the hromada boundary over the configured base map.
(function () {
  "use strict";

  function initHomeMap(element) {
    const [lat, lon] = element.dataset.center.split(",").map(Number);
    const map = L.map(element, { zoomControl: true }).setView([lat, lon], Number(element.dataset.zoom));
    L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.attribution,
      maxZoom: 19,
    }).addTo(map);
    const boundary = JSON.parse(document.getElementById("hromada-boundary").textContent);
    if (boundary) {
      const layer = L.geoJSON(boundary, {
        style: { color: "#1f4e9c", weight: 3, fill: false },
        interactive: false,
      }).addTo(map);
      map.fitBounds(layer.getBounds());
    }
    return map;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("map");
    if (element) initHomeMap(element);
  });
})();
