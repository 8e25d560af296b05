/* An indicator's page: the chart of its series against baseline and target (Chart.js) and
   the map of its values by settlement (Leaflet). Data come from the page's json_script block;
   the table on the page holds the same values for keyboard and screen-reader users. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sdg-data").textContent);
  var locale = document.documentElement.lang || "uk";
  var format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

  function chart() {
    var canvas = document.getElementById("sdg-chart");
    if (!canvas || typeof Chart === "undefined") return;
    var years = data.years.slice();
    [data.baseline, data.target].forEach(function (mark) {
      if (mark.value !== null && mark.year && years.indexOf(mark.year) < 0) years.push(mark.year);
    });
    years.sort(function (a, b) { return a - b; });
    function at(pairs) {
      return years.map(function (year) { return pairs[year] === undefined ? null : pairs[year]; });
    }
    var series = {};
    data.years.forEach(function (year, i) { series[year] = data.values[i]; });
    var datasets = [{
      label: data.strings.series, data: at(series), borderColor: "#1f4e9c",
      backgroundColor: "#1f4e9c", pointStyle: "circle", pointRadius: 5, spanGaps: true,
    }];
    if (data.baseline.value !== null) {
      var base = {}; base[data.baseline.year] = data.baseline.value;
      datasets.push({ label: data.strings.baseline, data: at(base), showLine: false,
        borderColor: "#4a4a4a", backgroundColor: "#4a4a4a", pointStyle: "rectRot", pointRadius: 7 });
    }
    if (data.target.value !== null) {
      var target = {}; target[data.target.year] = data.target.value;
      datasets.push({ label: data.strings.target, data: at(target), showLine: false,
        borderColor: "#8a1c1c", backgroundColor: "#8a1c1c", pointStyle: "triangle", pointRadius: 8 });
    }
    var made = new Chart(canvas, {
      type: "line",
      data: { labels: years.map(String), datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { title: { display: true, text: data.unit } } },
        plugins: { tooltip: { callbacks: { label: function (item) {
          return item.dataset.label + ": " + format.format(item.parsed.y) + " " + data.unit;
        } } } },
      },
    });
    // The latest value drawn, for the page's own checks (tests/browser/test_sdg.py).
    var values = data.values;
    canvas.dataset.latest = values.length ? String(values[values.length - 1]) : "";
    return made;
  }

  function classes(values) {
    var known = values.filter(function (v) { return v !== null; });
    var low = Math.min.apply(null, known), high = Math.max.apply(null, known);
    return function (value) {
      if (value === null || !known.length) return "none";
      if (high === low) return 2;
      return Math.min(4, Math.floor(((value - low) / (high - low)) * 5));
    };
  }
  var FILLS = ["#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d"];

  function map() {
    var element = document.getElementById("sdg-map");
    if (!element || !data.map || typeof L === "undefined") return;
    var features = data.map.features;
    var classOf = classes(features.map(function (f) { return f.properties.value; }));
    var leaflet = L.map(element, { scrollWheelZoom: false });
    var shown = {};
    var layer = L.geoJSON(data.map, {
      style: function (feature) {
        var c = classOf(feature.properties.value);
        return c === "none"
          ? { color: "#1b1b1b", weight: 1, fillColor: "#999999", fillOpacity: 0.35, dashArray: "4 3" }
          : { color: "#1b1b1b", weight: 1, fillColor: FILLS[c], fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, item) {
        var p = feature.properties;
        shown[p.key] = p.value;
        var text = p.name + ": " + (p.value === null ? data.strings.noValue
          : format.format(p.value) + " " + data.unit);
        item.bindTooltip(text);
        item.bindPopup(text);
      },
    }).addTo(leaflet);
    leaflet.fitBounds(layer.getBounds());
    element.dataset.values = JSON.stringify(shown);
    var legend = document.getElementById("sdg-legend");
    features.slice().sort(function (a, b) { return (b.properties.value || 0) - (a.properties.value || 0); })
      .forEach(function (f) {
        var c = classOf(f.properties.value);
        var li = document.createElement("li");
        var swatch = document.createElement("span");
        swatch.className = "sdg-swatch sdg-class-" + c;
        swatch.setAttribute("aria-hidden", "true");
        li.appendChild(swatch);
        li.appendChild(document.createTextNode(f.properties.name + ": " +
          (f.properties.value === null ? data.strings.noValue : format.format(f.properties.value))));
        legend.appendChild(li);
      });
  }

  chart();
  map();
}());
