// The report form's place (and the area alert's centre): a click on the map, "use my
// location", or the coordinates typed in the two fields, which stay the form's real inputs
// (a screen-reader user can type them or come from a record's page with them filled in).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // A refused form: a screen reader starts at the summary of what to correct.
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    const element = document.getElementById("report-map");
    const lat = document.getElementById("id_lat");
    const lon = document.getElementById("id_lon");
    const status = document.getElementById("report-place-status");
    const nearMe = document.getElementById("report-near-me");
    showAnonymousNote();
    if (!element || !lat || !lon || !window.L) return;
    const centre = element.dataset.centre.split(",").map(Number);
    const map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 19 }).addTo(map);
    let marker = null;

    function place(latlng, zoom) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 10, color: "#1b1b1b", weight: 3, fillColor: "#b3261e", fillOpacity: 0.9 }).addTo(map);
      map.setView(latlng, zoom || Math.max(map.getZoom(), 16));
    }

    function fromFields() {
      const y = parseFloat(lat.value);
      const x = parseFloat(lon.value);
      if (Number.isFinite(y) && Number.isFinite(x)) place(L.latLng(y, x), 17);
    }

    map.setView(centre, 13);
    fromFields();
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
      status.textContent = element.dataset.placed || "";
    });
    lat.addEventListener("change", fromFields);
    lon.addEventListener("change", fromFields);
    if (nearMe) {
      if (!navigator.geolocation) nearMe.hidden = true;
      nearMe.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(
          function (position) {
            lat.value = position.coords.latitude.toFixed(6);
            lon.value = position.coords.longitude.toFixed(6);
            fromFields();
            status.textContent = nearMe.dataset.found || "";
          },
          function () {
            status.textContent = nearMe.dataset.failed || "";
          },
          { enableHighAccuracy: true, timeout: 10000 }
        );
      });
    }
  });

  // "This category also accepts a report without an email address", for those that do.
  function showAnonymousNote() {
    const note = document.getElementById("anonymous-note");
    const select = document.getElementById("id_category");
    if (!note || !select) return;
    const codes = note.dataset.anonymous.split(" ");
    const update = () => { note.hidden = !codes.includes(select.value); };
    select.addEventListener("change", update);
    update();
  }
})();
