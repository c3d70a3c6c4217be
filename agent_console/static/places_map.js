/* The hot-spot map: governorates (egygeo's borders, served by the console) shaded by open
   complaints, and work items of several reports as circles. Leaflet, no tile layer: nothing is
   fetched from outside the console. Numbers in the page's digits (Shakwa.number, live.js). */
(function () {
  "use strict";
  var box = document.getElementById("hotspot-map");
  if (!box || !window.L) { return; }
  var SHADES = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function shade(count, top) {
    if (!count) { return SHADES[0]; }
    var step = Math.ceil((SHADES.length - 1) * count / (top || 1));
    return SHADES[Math.min(SHADES.length - 1, Math.max(1, step))];
  }

  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function legend(top) {
    // Shade i (1..6) holds the counts c with ceil(6 c / top) = i: from floor((i-1) top / 6) + 1
    // to floor(i top / 6); a shade no count can fall in is left out.
    var node = document.getElementById("map-legend");
    var steps = SHADES.length - 1;
    node.textContent = "";
    for (var i = 0; i < SHADES.length; i++) {
      var low = i === 0 ? 0 : Math.floor((i - 1) * top / steps) + 1;
      var high = i === 0 ? 0 : Math.floor(i * top / steps);
      if (i > 0 && low > high) { continue; }
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = SHADES[i];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + (low === high ? Shakwa.number(low)
                                                            : Shakwa.number(low) + "–" + Shakwa.number(high))));
      node.appendChild(item);
    }
  }

  function table(names, open) {
    var body = document.querySelector("#map-table tbody");
    body.textContent = "";
    Object.keys(open).sort(function (a, b) { return open[b] - open[a]; }).forEach(function (slug) {
      var row = document.createElement("tr");
      row.setAttribute("data-governorate", slug);
      row.appendChild(text("td", names[slug] || slug));
      row.appendChild(text("td", Shakwa.number(open[slug])));
      body.appendChild(row);
    });
  }

  var map = L.map(box, { zoomSnap: 0.25, attributionControl: false, minZoom: 4, maxZoom: 16 });
  map.setView([26.8, 30.8], 5.5);
  Promise.all([fetch(box.dataset.geojson, { credentials: "same-origin" }).then(function (r) { return r.json(); }),
               fetch(box.dataset.data, { credentials: "same-origin" }).then(function (r) { return r.json(); })])
    .then(function (answers) {
      var shapes = answers[0], data = answers[1];
      var top = 0;
      Object.keys(data.open).forEach(function (k) { top = Math.max(top, data.open[k]); });
      var layer = L.geoJSON(shapes, {
        style: function (feature) {
          return { color: "#555", weight: 1, fillOpacity: 0.85,
                   fillColor: shade(data.open[feature.properties.slug] || 0, top) };
        },
        onEachFeature: function (feature, shape) {
          var slug = feature.properties.slug;
          shape.bindTooltip((data.names[slug] || slug) + ": " + Shakwa.number(data.open[slug] || 0) + " " + box.dataset.labelOpen);
          shape.on("add", function () {
            if (shape.getElement) { shape.getElement().setAttribute("data-governorate", slug); }
          });
        }
      }).addTo(map);
      map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      data.clusters.forEach(function (c) {
        var dot = L.circleMarker([c.lat, c.lon], { radius: 4 + 3 * Math.sqrt(c.reports), color: "#b03a2e",
                                                  weight: 2, fillColor: "#e74c3c", fillOpacity: 0.7 });
        var popup = document.createElement("div");
        var link = text("a", box.dataset.labelWorkItem + " " + Shakwa.digits(c.number));
        link.href = c.url;
        popup.appendChild(link);
        popup.appendChild(text("div", c.label + " — " + Shakwa.number(c.reports) + " " + box.dataset.labelReports));
        dot.bindPopup(popup).addTo(map);
        dot.getElement().setAttribute("data-cluster", String(c.id));
        dot.getElement().classList.add("cluster-point");
      });
      legend(top);
      table(data.names, data.open);
      box.setAttribute("data-ready", "1");
    })
    .catch(function (error) {
      box.setAttribute("data-error", String(error));
    });
}());
