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

  function baseMap(element, config) {
    const [lat, lon] = element.dataset.center.split(",").map(Number);
    const map = L.map(element, { keyboard: true, zoomControl: false }).setView([lat, lon], Number(element.dataset.zoom));
    // Leaflet's own control titles are English; the page hands over its language's.
    L.control.zoom({ zoomInTitle: config.messages.zoomIn, zoomOutTitle: config.messages.zoomOut }).addTo(map);
    L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution, maxZoom: 20 }).addTo(map);
    return map;
  }

  // Leaflet finds its marker images from a stylesheet url(), which hashed static file names
  // break (a 404 marker-icon.png): the page names them through the static files storage.
  function useIconUrls(config) {
    if (!config.icons) return;
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions(config.icons);
  }

  // Geoman puts a control's name on the wrapper's title only; screen readers announce the
  // link itself, so it gets the same name (again whenever Geoman rebuilds its toolbar).
  function nameToolbarControls(container) {
    function name() {
      container.querySelectorAll(".button-container[title] > a.leaflet-buttons-control-button").forEach((link) => {
        const title = link.parentElement.getAttribute("title");
        if (link.getAttribute("aria-label") !== title) link.setAttribute("aria-label", title);
      });
      container.querySelectorAll("a.leaflet-pm-action").forEach((link) => {
        const title = link.title || link.textContent.trim();
        if (title && link.getAttribute("aria-label") !== title) link.setAttribute("aria-label", title);
      });
    }
    name();
    new MutationObserver(name).observe(container, { childList: true, subtree: true, attributes: true, attributeFilter: ["title"] });
  }

  // Unsaved work on this page: a click that would leave it asks first, and so does the browser.
  function UnsavedGuard(form, message) {
    this.dirty = Boolean(document.getElementById("form-errors"));
    this.message = message;
    this.submitting = false;
    if (form) {
      form.addEventListener("input", () => (this.dirty = true));
      form.addEventListener("change", () => (this.dirty = true));
      form.addEventListener("submit", () => (this.submitting = true));
    }
    window.addEventListener("beforeunload", (event) => {
      if (!this.dirty || this.submitting) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  UnsavedGuard.prototype.mayLeave = function () {
    if (!this.dirty || window.confirm(this.message)) {
      this.submitting = true; // asked once: the browser does not ask again
      return true;
    }
    return false;
  };

  function otherRecordsLayer(map, config, guard) {
    // Clicks on other records do not fall through to the map (that would place a point).
    const layer = L.geoJSON(null, {
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, { radius: 5, color: "#555", weight: 1, fillOpacity: 0.6, bubblingMouseEvents: false }),
      style: () => ({ color: "#555", weight: 1, fillOpacity: 0.15, bubblingMouseEvents: false }),
      filter: (feature) => feature.properties.id !== config.recordId,
      onEachFeature: (feature, item) => {
        const label = document.createElement("span");
        label.append(
          textElement("strong", feature.properties.name),
          document.createTextNode(" "),
          textElement("em", feature.properties.status_label)
        );
        item.bindTooltip(label);
        item.on("click", () => {
          if (!guard || guard.mayLeave()) window.location.assign(feature.properties.url);
        });
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

  function Editor(map, element, config, guard) {
    this.map = map;
    this.guard = guard;
    this.undoButton = document.querySelector("[data-undo]");
    this.steps = []; // the geometry (GeoJSON text) before each change, newest last
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
    this.current = this.input ? this.input.value.trim() : "";
    map.pm.setGlobalOptions({
      snappable: true,
      allowSelfIntersection: false,
      markerStyle: { icon: new L.Icon.Default(), alt: this.config.messages.marker, title: this.config.messages.marker },
    });
    if (this.config.geomanLanguage) map.pm.setLang(this.config.geomanLanguage);
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
        this.remember(this.input.value.trim());
        this.showFromInput(false);
        this.check();
      });
    }
    if (this.undoButton) this.undoButton.addEventListener("click", () => this.undo());
  };

  Editor.prototype.remember = function (next) {
    if (next === this.current) return;
    this.steps.push(this.current);
    if (this.steps.length > 50) this.steps.shift();
    this.current = next;
    if (this.undoButton) this.undoButton.disabled = false;
    if (this.guard) this.guard.dirty = true;
  };

  Editor.prototype.undo = function () {
    if (!this.steps.length) {
      this.say("info", [this.config.messages.nothingToUndo]);
      return;
    }
    this.current = this.steps.pop();
    if (this.undoButton) this.undoButton.disabled = !this.steps.length;
    this.input.value = this.current;
    this.group.clearLayers();
    if (this.current) {
      this.showFromInput(false);
      this.check(this.config.messages.undone);
    } else {
      this.say("info", [this.config.messages.undone]);
    }
  };

  Editor.prototype.marker = function (latlng) {
    const text = this.config.messages.marker;
    return L.marker(latlng, { draggable: true, keyboard: true, icon: new L.Icon.Default(), title: text, alt: text });
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
    this.replaceWith(this.marker(latlng));
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
    const text = geometry ? JSON.stringify(geometry) : "";
    if (this.input) this.input.value = text;
    this.remember(text);
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
      pointToLayer: (feature, latlng) => this.marker(latlng),
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

  Editor.prototype.check = function (before) {
    const geometry = this.geometry();
    if (!geometry) return;
    const said = (lines) => (before ? [before, ...lines] : lines);
    this.say("info", [this.config.messages.checking]);
    fetch(this.config.checkUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ geom: geometry, exclude: this.config.recordId }),
    })
      .then((response) => response.json())
      .then((result) => {
        if (result.errors && result.errors.length) this.say("error", said(result.errors));
        else if (result.warnings && result.warnings.length) this.say("warning", said(result.warnings));
        else this.say("ok", said([this.config.messages.ok]));
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
    useIconUrls(config);
    const map = baseMap(element, config);
    nameToolbarControls(element);
    const boundary = boundaryLayer(map, config);
    let guard = null;
    if (element.dataset.mode === "edit") {
      const form = document.getElementById("record-form");
      guard = new UnsavedGuard(form, config.messages.unsaved);
      const editor = new Editor(map, element, config, guard);
      const hasGeometry = editor.input && editor.input.value.trim();
      // "Save and add another" comes back to the view the last record was placed in.
      if (config.view && !hasGeometry) map.setView([config.view[0], config.view[1]], config.view[2]);
      else if (boundary && !hasGeometry) map.fitBounds(boundary.getBounds());
      editor.start();
      if (config.view && hasGeometry) map.setView([config.view[0], config.view[1]], config.view[2]);
      const view = document.querySelector("[data-map-view]");
      if (form && view) {
        form.addEventListener("submit", () => {
          const c = map.getCenter();
          view.value = [c.lat.toFixed(7), c.lng.toFixed(7), map.getZoom()].join(",");
        });
      }
    } else if (boundary) {
      map.fitBounds(boundary.getBounds());
    }
    const others = otherRecordsLayer(map, config, guard);
    others.eachLayer((layer) => layer.options && (layer.options.pmIgnore = true));
    // A refused save: the summary at the top of the panel is shown and takes the focus.
    const errors = document.getElementById("form-errors");
    if (errors) {
      errors.scrollIntoView({ block: "start" });
      errors.focus({ preventScroll: true });
    }
  });
})();
