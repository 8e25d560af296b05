// A Leaflet grid layer that draws Mapbox Vector Tiles on canvas and can tell which feature
// lies under a point. Canvas (not one Leaflet layer per feature) is what keeps a layer of
// hundreds of thousands of trees fluid: a tile with 10,000 points is one draw call loop.
import { PbfReader } from "pbf";
import { VectorTile } from "@mapbox/vector-tile";

const POINT = 1;
const LINE = 2;
const POLYGON = 3;
// Extra pixels around a point that still count as a click on it (fingers are not mice),
// and on a touch screen or a phone-sized window a hit area of at least 24 x 24 CSS pixels
// around every point however small it is drawn (WCAG 2.2, 2.5.8 Target Size).
const HIT_SLOP = 4;
const TOUCH_HIT_RADIUS = 12;
const TOUCH = window.matchMedia("(pointer: coarse), (max-width: 40rem)");

export function hitRadius(drawnRadius) {
  return Math.max(drawnRadius + HIT_SLOP, TOUCH.matches ? TOUCH_HIT_RADIUS : 0);
}

function decode(buffer, layerName, tileSize) {
  const tile = new VectorTile(new PbfReader(buffer));
  const layer = tile.layers[layerName];
  if (!layer) return [];
  const scale = tileSize / layer.extent;
  const features = [];
  for (let i = 0; i < layer.length; i++) {
    const feature = layer.feature(i);
    const rings = feature.loadGeometry().map((ring) => ring.map((p) => [p.x * scale, p.y * scale]));
    // ``id``: the record's integer key (MVT's feature id); a popup fetches the record by it.
    features.push({ id: feature.id, type: feature.type, properties: feature.properties, rings });
  }
  return features;
}

// An area's hatching (``style.hatch``: the SVG path data of an 8 x 8 px tile, the legend's
// too) as a canvas pattern in the value's colour, made once per hatching and colour.
const hatchPatterns = new Map();
function hatchPattern(ctx, hatch, colour) {
  const key = `${hatch}|${colour}`;
  if (!hatchPatterns.has(key)) {
    const tile = document.createElement("canvas");
    tile.width = tile.height = 8;
    const tileCtx = tile.getContext("2d");
    tileCtx.strokeStyle = colour;
    tileCtx.lineWidth = 1.5;
    tileCtx.stroke(new Path2D(hatch));
    hatchPatterns.set(key, ctx.createPattern(tile, "repeat"));
  }
  return hatchPatterns.get(key);
}

function drawPolygon(ctx, feature, style) {
  ctx.beginPath();
  for (const ring of feature.rings) {
    ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
  }
  ctx.globalAlpha = style.fillOpacity ?? 0.3;
  ctx.fillStyle = style.fill;
  ctx.fill("evenodd");
  ctx.globalAlpha = 1;
  if (style.hatch) {
    // Over the fill, lighter than the outline: large zones stay readable under it.
    ctx.globalAlpha = 0.6;
    ctx.fillStyle = hatchPattern(ctx, style.hatch, style.fill);
    ctx.fill("evenodd");
    ctx.globalAlpha = 1;
  }
  ctx.setLineDash(style.dash || []);
  ctx.lineWidth = style.weight ?? 1.5;
  ctx.strokeStyle = style.stroke || style.fill;
  ctx.stroke();
  ctx.setLineDash([]);
}

function drawLine(ctx, feature, style) {
  ctx.beginPath();
  for (const ring of feature.rings) {
    ring.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
  }
  ctx.setLineDash(style.dash || []);
  ctx.lineWidth = Math.max(style.weight ?? 3, 2);
  ctx.strokeStyle = style.stroke || style.fill;
  ctx.stroke();
  ctx.setLineDash([]);
}

function nearLine(rings, x, y, slop) {
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const [ax, ay] = ring[i - 1];
      const [bx, by] = ring[i];
      const length2 = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = length2 ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length2)) : 0;
      if ((ax + t * (bx - ax) - x) ** 2 + (ay + t * (by - ay) - y) ** 2 <= slop ** 2) return true;
    }
  }
  return false;
}

// The point symbols (``layers/symbols.py``, sent in the page's config as ``style.symbol``):
// an outline drawn at radius 1, or none for a circle; a value is told by its shape as well
// as its colour, so that nobody depends on seeing colours.
const CIRCLE = { outline: [], hollow: false };

function trace(ctx, symbol, x, y, r) {
  if (!symbol.outline.length) {
    ctx.arc(x, y, symbol.hollow ? r * 0.8 : r, 0, Math.PI * 2);
    return;
  }
  symbol.outline.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(x + px * r, y + py * r) : ctx.lineTo(x + px * r, y + py * r)));
  ctx.closePath();
}

function drawPoints(ctx, feature, style) {
  const symbol = style.symbol || CIRCLE;
  for (const ring of feature.rings) {
    for (const [x, y] of ring) {
      ctx.beginPath();
      trace(ctx, symbol, x, y, style.radius);
      if (symbol.hollow) {
        // Hollow: a thick ring in the colour, white inside, a thin dark edge outside.
        ctx.fillStyle = "#ffffff";
        ctx.fill();
        ctx.lineWidth = Math.max(2.5, style.radius * 0.55);
        ctx.strokeStyle = style.fill;
        ctx.stroke();
        continue;
      }
      ctx.fillStyle = style.fill;
      ctx.fill();
      ctx.lineWidth = style.weight ?? 1;
      ctx.strokeStyle = style.stroke || "#1b1b1b";
      if (ctx.lineWidth > 0) ctx.stroke();
    }
  }
}

// A cell of a big layer's low-zoom tile (``tiles.overview``): how many records lie there,
// as a disc in the layer's colour that grows with the count, and the number on it.
const COMPACT = new Intl.NumberFormat(document.documentElement.lang || "uk", { notation: "compact", maximumFractionDigits: 1 });

// Cells are 32 px apart: a disc stays under 30 px across, so neighbours never overlap.
export function countRadius(count) {
  return Math.min(8 + 2 * Math.log10(Math.max(count, 1)), 14.5);
}

function drawCount(ctx, feature, style) {
  const count = feature.properties.count;
  const radius = countRadius(count);
  for (const ring of feature.rings) {
    for (const [x, y] of ring) {
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, Math.PI * 2);
      ctx.globalAlpha = 0.85;
      ctx.fillStyle = style.fill;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      ctx.fillStyle = "#ffffff";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      // A long number ("12 тис.") in a smaller type, so that it stays inside its disc.
      const text = COMPACT.format(count);
      ctx.font = "600 11px system-ui, sans-serif";
      const fits = (2 * radius - 4) / Math.max(ctx.measureText(text).width, 1);
      if (fits < 1) ctx.font = `600 ${Math.max(7, Math.floor(11 * fits))}px system-ui, sans-serif`;
      ctx.fillText(text, x, y);
    }
  }
}

export function isCount(feature) {
  return feature.properties.count !== undefined;
}

function insideRings(rings, x, y) {
  // Even-odd rule over all rings: holes cancel out, as in drawing.
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export const MvtLayer = L.GridLayer.extend({
  options: {
    urlTemplate: "",
    layerName: "",
    query: "",
    // (properties, zoom) -> {fill, stroke, radius, weight, fillOpacity, dash, shape, symbol}
    style: null,
    updateWhenZooming: false,
    // [west, south, east, north] of the layer's records; null: it has none; undefined: not
    // known. A tile away from them is drawn empty without asking the server.
    extent: undefined,
  },

  initialize(options) {
    L.GridLayer.prototype.initialize.call(this, options);
    this._tileFeatures = new Map();
    this._requests = new Map();
    this.on("tileunload", (event) => this._forget(this._tileCoordsToKey(event.coords)));
  },

  setQuery(query) {
    if (query === this.options.query) return this;
    this.options.query = query;
    return this.redraw();
  },

  // Draw the tiles on screen again from the features they hold (a new colouring), without
  // fetching them again.
  restyle() {
    const ratio = window.devicePixelRatio || 1;
    for (const [key, tile] of Object.entries(this._tiles || {})) {
      const features = this._tileFeatures.get(key);
      if (features) this._draw(tile.el, features, tile.coords.z, ratio);
    }
    return this;
  },

  // A feature of the tiles on screen by its ``id`` (the record's integer key), with the map
  // positions of its rings; null when no tile on screen holds it.
  findFeature(id) {
    if (!this._map) return null;
    const size = this.getTileSize();
    for (const [key, tile] of Object.entries(this._tiles || {})) {
      for (const feature of this._tileFeatures.get(key) || []) {
        if (String(feature.id) !== String(id)) continue;
        const { x, y, z } = tile.coords;
        const toLatLng = ([px, py]) => this._map.unproject([x * size.x + px, y * size.y + py], z);
        return { feature, rings: feature.rings.map((ring) => ring.map(toLatLng)) };
      }
    }
    return null;
  },

  // The map position of a feature a tile on screen holds (its first point), or null.
  latLngOf(feature) {
    if (!this._map) return null;
    const size = this.getTileSize();
    for (const [key, tile] of Object.entries(this._tiles || {})) {
      if (!(this._tileFeatures.get(key) || []).includes(feature)) continue;
      const { x, y, z } = tile.coords;
      const [px, py] = feature.rings[0][0];
      return this._map.unproject([x * size.x + px, y * size.y + py], z);
    }
    return null;
  },

  // How many features the tiles now on screen hold (tests and the layer's status use it).
  featureCount() {
    let count = 0;
    for (const key of Object.keys(this._tiles || {})) count += (this._tileFeatures.get(key) || []).length;
    return count;
  },

  createTile(coords, done) {
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    const canvas = L.DomUtil.create("canvas", "mvt-tile");
    canvas.width = size.x * ratio;
    canvas.height = size.y * ratio;
    const key = this._tileCoordsToKey(coords);
    if (!this._mayHoldFeatures(coords)) {
      this._tileFeatures.set(key, []);
      canvas.dataset.features = "0";
      // Leaflet takes a tile as ready only after createTile has returned it.
      L.Util.requestAnimFrame(() => {
        done(null, canvas);
        this.fire("tilefeatures", { key, count: 0 });
      });
      return canvas;
    }
    const controller = new AbortController();
    this._requests.set(key, controller);
    const url = L.Util.template(this.options.urlTemplate, coords) + (this.options.query ? `?${this.options.query}` : "");
    fetch(url, { signal: controller.signal, credentials: "same-origin" })
      .then((response) => {
        if (response.status === 204) return null;
        if (!response.ok) throw new Error(`${response.status} ${url}`);
        return response.arrayBuffer();
      })
      .then((buffer) => {
        const features = buffer ? decode(buffer, this.options.layerName, size.x) : [];
        this._tileFeatures.set(key, features);
        this._draw(canvas, features, coords.z, ratio);
        canvas.dataset.features = String(features.length);
        this._requests.delete(key);
        done(null, canvas);
        this.fire("tilefeatures", { key, count: features.length });
      })
      .catch((error) => {
        if (error.name === "AbortError") return;
        this._requests.delete(key);
        done(error, canvas);
      });
    return canvas;
  },

  // Whether the tile (with half a tile around it: a symbol or an overview count drawn near
  // its edge) meets the layer's records.
  _mayHoldFeatures(coords) {
    const extent = this.options.extent;
    if (extent === undefined) return true;
    if (extent === null) return false;
    const [west, south, east, north] = extent;
    return this._tileCoordsToBounds(coords).pad(0.5).intersects(L.latLngBounds([south, west], [north, east]));
  },

  _draw(canvas, features, zoom, ratio) {
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    // Areas under points, so that a tree inside a park stays visible and clickable.
    for (const feature of features) {
      if (feature.type === POLYGON) drawPolygon(ctx, feature, this.options.style(feature.properties, zoom));
    }
    for (const feature of features) {
      if (feature.type === LINE) drawLine(ctx, feature, this.options.style(feature.properties, zoom));
    }
    for (const feature of features) {
      if (feature.type !== POINT) continue;
      const style = this.options.style(feature.properties, zoom);
      if (isCount(feature)) drawCount(ctx, feature, style);
      else drawPoints(ctx, feature, style);
    }
  },

  _forget(key) {
    const request = this._requests.get(key);
    if (request) request.abort();
    this._requests.delete(key);
    this._tileFeatures.delete(key);
  },

  // The feature drawn under a map position, or null: of the points whose hit area holds
  // it the nearest (the top-most of equally near ones), else a line, else an area.
  featureAt(latlng) {
    const zoom = this._tileZoom;
    if (!this._map || zoom === undefined) return null;
    const size = this.getTileSize();
    const pixel = this._map.project(latlng, zoom);
    const coords = pixel.unscaleBy(size).floor();
    coords.z = zoom;
    const features = this._tileFeatures.get(this._tileCoordsToKey(coords)) || [];
    const x = pixel.x - coords.x * size.x;
    const y = pixel.y - coords.y * size.y;
    let nearest = null;
    let nearestDistance = Infinity;
    for (let i = features.length - 1; i >= 0; i--) {
      const feature = features[i];
      if (feature.type !== POINT) continue;
      const drawn = isCount(feature) ? countRadius(feature.properties.count) : this.options.style(feature.properties, zoom).radius;
      const radius = hitRadius(drawn);
      for (const ring of feature.rings) {
        for (const [px, py] of ring) {
          const distance = (px - x) ** 2 + (py - y) ** 2;
          if (distance <= radius ** 2 && distance < nearestDistance) {
            nearest = feature;
            nearestDistance = distance;
          }
        }
      }
    }
    if (nearest) return nearest;
    for (let i = features.length - 1; i >= 0; i--) {
      const feature = features[i];
      if (feature.type === LINE && nearLine(feature.rings, x, y, HIT_SLOP + 2)) return feature;
    }
    for (let i = features.length - 1; i >= 0; i--) {
      const feature = features[i];
      if (feature.type === POLYGON && insideRings(feature.rings, x, y)) return feature;
    }
    return null;
  },
});
