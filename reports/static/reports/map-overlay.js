// Citizen reports over the public map: open ones and those fixed lately, from
// /reports/map.geojson (no personal data), drawn when the visitor ticks the box, filtered by state and category. A report's
// state is said in its popup's words; the fill colour repeats it.
(function () {
  "use strict";

  const FILL = { confirmed: "#1f4e9c", in_progress: "#b35c00", fixed: "#1d6b2f" };

  function popupNode(feature) {
    const p = feature.properties;
    const box = document.createElement("div");
    const link = document.createElement("a");
    link.href = p.url;
    link.className = "popup-link";
    link.textContent = `№ ${feature.id}: ${p.category_title}`;
    const state = document.createElement("p");
    state.textContent = p.state_title;
    box.append(link, state);
    return box;
  }

  document.addEventListener("geoportal:map", function (event) {
    const map = event.detail.map;
    const form = document.getElementById("reports-overlay");
    if (!form) return;
    const status = document.getElementById("reports-overlay-status");
    const layer = L.layerGroup();
    let request = 0;

    async function load() {
      layer.clearLayers();
      if (!form.show.checked) {
        map.removeLayer(layer);
        status.textContent = "";
        return;
      }
      const mine = ++request;
      const query = new URLSearchParams();
      if (form.state.value) query.set("state", form.state.value);
      if (form.category.value) query.set("category", form.category.value);
      try {
        const response = await fetch(`${form.dataset.url}?${query}`, { headers: { Accept: "application/geo+json" } });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        if (mine !== request) return;
        L.geoJSON(data, {
          pointToLayer: (feature, latlng) =>
            L.circleMarker(latlng, {
              radius: 8,
              weight: 2,
              color: "#1b1b1b",
              fillColor: FILL[feature.properties.state] || "#555555",
              fillOpacity: 0.95,
            }),
          onEachFeature: (feature, marker) => marker.bindPopup(() => popupNode(feature)),
        }).addTo(layer);
        layer.addTo(map);
        status.textContent = `${form.dataset.loaded} ${data.features.length}`;
      } catch (error) {
        status.textContent = form.dataset.failed;
      }
    }

    form.addEventListener("change", load);
    form.addEventListener("submit", (e) => e.preventDefault());
    // "Report a problem" from the map opens the form at the map's centre.
    const here = document.getElementById("report-here");
    if (here) {
      map.on("moveend", () => {
        const c = map.getCenter();
        here.href = `${here.pathname}?lat=${c.lat.toFixed(6)}&lon=${c.lng.toFixed(6)}`;
      });
    }
  });
})();
