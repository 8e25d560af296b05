// The map editor: records of a registry on a Leaflet map, and the geometry of the record
// being edited kept in step with the form's GeoJSON field. Configuration comes from the
// page (data-* attributes and the "editor-config" JSON script); nothing is global.
(function () {
  "use strict";

  const POINT = "Point";

  function readConfig() {
    const node = document.getElementById("editor-config");
    return node ? JSON.parse(node.textContent) : null;
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function textElement(tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function baseMap(element) {
    const [lat, lon] = element.dataset.center.split(",").map(Number);
    const map = L.map(element, { keyboard: true }).setView([lat, lon], Number(element.dataset.zoom));
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 20 }).addTo(map);
    return map;
  }

  function otherRecordsLayer(map, config) {
    const layer = L.geoJSON(null, {
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { radius: 5, color: "#555", weight: 1, fillOpacity: 0.6 }),
      style: () => ({ color: "#555", weight: 1, fillOpacity: 0.15 }),
      filter: (feature) => feature.properties.id !== config.recordId,
      onEachFeature: (feature, item) => {
        const label = document.createElement("span");
        label.append(
          textElement("strong", feature.properties.name),
          document.createTextNode(" "),
          textElement("em", feature.properties.status_label)
        );
        item.bindTooltip(label);
        item.on("click", () => window.location.assign(feature.properties.url));
      },
    }).addTo(map);
    let controller = null;
    function load() {
      if (controller) controller.abort();
      controller = new AbortController();
      // Within WGS 84, as the server reads a box (a world-wide view reaches past ±180).
      const b = map.getBounds();
      const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
      const bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
        .map((v) => v.toFixed(6))
        .join(",");
      fetch(config.featuresUrl + "?bbox=" + encodeURIComponent(bbox), {
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then((response) => (response.ok ? response.json() : null))
        .then((data) => {
          if (!data) return;
          layer.clearLayers();
          layer.addData(data);
        })
        .catch(() => {});
    }
    map.on("moveend", load);
    load();
    return layer;
  }

  function Editor(map, element, config) {
    this.map = map;
    this.config = config;
    this.input = document.getElementById(element.dataset.geometryInput);
    this.feedback = document.getElementById("geometry-feedback");
    this.types = config.geometryTypes;
    this.pointOnly = this.types.length === 1 && this.types[0] === POINT;
    this.acceptsPoint = this.types.includes(POINT);
    this.acceptsPolygon = this.types.some((t) => t.endsWith("Polygon"));
    this.acceptsLine = this.types.some((t) => t.endsWith("LineString"));
    this.group = L.featureGroup().addTo(map);
    this.lonInput = document.querySelector("[data-coordinate=lon]");
    this.latInput = document.querySelector("[data-coordinate=lat]");
  }

  Editor.prototype.start = function () {
    const map = this.map;
    map.pm.setGlobalOptions({ snappable: true, allowSelfIntersection: false });
    map.pm.addControls({
      position: "topleft",
      drawMarker: this.acceptsPoint,
      drawPolygon: this.acceptsPolygon,
      drawRectangle: this.acceptsPolygon,
      drawPolyline: this.acceptsLine,
      drawCircle: false,
      drawCircleMarker: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
      removalMode: false,
      editMode: true,
      dragMode: true,
    });
    this.showFromInput(true);
    map.on("pm:create", (event) => {
      this.replaceWith(event.layer);
      this.changed();
    });
    if (this.acceptsPoint) {
      map.on("click", (event) => {
        if (map.pm.globalDrawModeEnabled() || map.pm.globalEditModeEnabled()) return;
        this.placePoint(event.latlng);
      });
      const controls = document.querySelector("[data-point-controls]");
      if (controls) controls.hidden = false;
      const centre = document.querySelector("[data-place-centre]");
      if (centre) centre.addEventListener("click", () => this.placePoint(map.getCenter()));
      [this.lonInput, this.latInput].forEach((input) =>
        input && input.addEventListener("change", () => this.typedCoordinates())
      );
    }
    if (this.input) {
      this.input.addEventListener("change", () => {
        this.showFromInput(false);
        this.check();
      });
    }
  };

  Editor.prototype.watch = function (layer) {
    layer.on("pm:edit pm:dragend dragend", () => this.changed());
    if (layer instanceof L.Marker) {
      layer.options.draggable = true;
      if (layer.dragging) layer.dragging.enable();
      layer.options.keyboard = true;
    }
  };

  Editor.prototype.replaceWith = function (layer) {
    this.group.eachLayer((old) => {
      this.group.removeLayer(old);
      this.map.removeLayer(old);
    });
    this.group.addLayer(layer);
    this.watch(layer);
  };

  Editor.prototype.placePoint = function (latlng) {
    const marker = L.marker(latlng, { draggable: true, keyboard: true, title: this.config.messages.placed });
    this.replaceWith(marker);
    this.changed();
  };

  Editor.prototype.typedCoordinates = function () {
    const lon = Number(this.lonInput.value);
    const lat = Number(this.latInput.value);
    if (!this.lonInput.value || !this.latInput.value || !isFinite(lon) || !isFinite(lat)) return;
    this.placePoint(L.latLng(lat, lon));
    this.map.panTo([lat, lon]);
  };

  Editor.prototype.geometry = function () {
    const parts = [];
    this.group.eachLayer((layer) => parts.push(layer.toGeoJSON().geometry));
    if (!parts.length) return null;
    if (parts.length === 1) return parts[0];
    if (parts.every((g) => g.type === "Polygon")) {
      return { type: "MultiPolygon", coordinates: parts.map((g) => g.coordinates) };
    }
    if (parts.every((g) => g.type === "LineString")) {
      return { type: "MultiLineString", coordinates: parts.map((g) => g.coordinates) };
    }
    if (parts.every((g) => g.type === "MultiPolygon")) {
      return { type: "MultiPolygon", coordinates: parts.flatMap((g) => g.coordinates) };
    }
    return parts[parts.length - 1];
  };

  Editor.prototype.changed = function () {
    const geometry = this.geometry();
    if (this.input) this.input.value = geometry ? JSON.stringify(geometry) : "";
    this.syncCoordinates(geometry);
    this.check();
  };

  Editor.prototype.syncCoordinates = function (geometry) {
    if (!this.lonInput || !geometry || geometry.type !== POINT) return;
    this.lonInput.value = geometry.coordinates[0].toFixed(6);
    this.latInput.value = geometry.coordinates[1].toFixed(6);
  };

  Editor.prototype.showFromInput = function (fit) {
    if (!this.input || !this.input.value.trim()) return;
    let geometry;
    try {
      geometry = JSON.parse(this.input.value);
    } catch (error) {
      return;
    }
    this.group.clearLayers();
    const layer = L.geoJSON(geometry, {
      pointToLayer: (feature, latlng) => L.marker(latlng, { draggable: true, keyboard: true }),
    });
    layer.eachLayer((item) => {
      this.group.addLayer(item);
      this.watch(item);
    });
    this.syncCoordinates(geometry);
    if (fit && this.group.getLayers().length) {
      const bounds = this.group.getBounds();
      if (geometry.type === POINT) this.map.setView(bounds.getCenter(), 18);
      else this.map.fitBounds(bounds, { maxZoom: 18 });
    }
  };

  Editor.prototype.say = function (kind, lines) {
    if (!this.feedback) return;
    this.feedback.replaceChildren();
    this.feedback.className = "feedback feedback-" + kind;
    const list = document.createElement("ul");
    lines.forEach((line) => list.append(textElement("li", line)));
    this.feedback.append(list);
  };

  Editor.prototype.check = function () {
    const geometry = this.geometry();
    if (!geometry) return;
    this.say("info", [this.config.messages.checking]);
    fetch(this.config.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ geom: geometry, exclude: this.config.recordId }),
    })
      .then((response) => response.json())
      .then((result) => {
        if (result.errors && result.errors.length) this.say("error", result.errors);
        else if (result.warnings && result.warnings.length) this.say("warning", result.warnings);
        else this.say("ok", [this.config.messages.ok]);
      })
      .catch(() => {});
  };

  function boundaryLayer(map, config) {
    if (!config.boundary) return null;
    const layer = L.geoJSON(config.boundary, {
      style: { color: "#1f4e9c", weight: 2, fill: false, dashArray: "4 4" },
      interactive: false,
      pmIgnore: true,
    }).addTo(map);
    return layer;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("edit-map");
    const config = readConfig();
    if (!element || !config) return;
    const map = baseMap(element);
    const boundary = boundaryLayer(map, config);
    if (element.dataset.mode === "edit") {
      const editor = new Editor(map, element, config);
      if (boundary && !(editor.input && editor.input.value.trim())) map.fitBounds(boundary.getBounds());
      editor.start();
    } else if (boundary) {
      map.fitBounds(boundary.getBounds());
    }
    const others = otherRecordsLayer(map, config);
    others.eachLayer((layer) => layer.options && (layer.options.pmIgnore = true));
    const errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
