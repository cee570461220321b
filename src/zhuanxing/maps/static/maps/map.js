/* 亩均地图: towns and parcels on a plain background (or the district's own tiles), coloured by
   class, 亩均税收 or 亩均增加值; the 低效用地 and leased-out layers; towns compared. Data from
   the page's JSON endpoint; nothing from the internet. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var towns = JSON.parse(document.getElementById("map-towns").textContent);
  var words = document.getElementById("map-words").dataset;
  var form = document.getElementById("map-filters");
  var statusBox = document.getElementById("map-status");
  var CLASS_COLOURS = { A: "#16a34a", B: "#2563eb", C: "#f59e0b", D: "#dc2626", "": "#9ca3af" };
  var GRADES = {
    tax: { breaks: [0, 5, 10, 20, 40], colours: ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"] },
    va: { breaks: [0, 20, 50, 100, 200], colours: ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"] },
    share: { breaks: [0, 0.1, 0.2, 0.3, 0.5], colours: ["#fff5eb", "#fdd0a2", "#fd8d3c", "#d94801", "#7f2704"] }
  };
  var NUM2 = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var INT = new Intl.NumberFormat("zh-CN");
  function money(v) { return v === null || v === undefined ? "—" : NUM2.format(v); }
  function pct(v) { return v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%"; }

  var map = L.map("map", { preferCanvas: true, zoomSnap: 0.5, attributionControl: !!config.tiles });
  var renderer = L.canvas({ padding: 0.2 });
  if (config.tiles) {
    L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
  }
  var townLayer = L.geoJSON(
    { type: "FeatureCollection", features: towns.map(function (t) { return { type: "Feature", properties: t, geometry: t.geometry }; }) },
    { renderer: renderer, style: function () { return { color: "#475569", weight: 1.5, fill: true, fillColor: "#ffffff", fillOpacity: 0.6 }; },
      onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.name, { sticky: true }); } }
  ).addTo(map);
  if (towns.length) { map.fitBounds(townLayer.getBounds(), { padding: [10, 10] }); } else { map.setView([29.98, 121.65], 11); }
  var parcelLayer = L.layerGroup().addTo(map);
  var state = { data: null, drawn: [] };
  window.zxMap = { map: map, state: state };

  function layerName() { return document.getElementById("map-layer").value; }
  function params(withView) {
    var p = new URLSearchParams(new FormData(form));
    ["class", "cluster", "town", "threshold"].forEach(function (k) { if (p.get(k) === "") { p.delete(k); } });
    if (withView) {
      var b = map.getBounds().pad(0.1);
      p.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
      p.set("zoom", Math.round(map.getZoom()));
    }
    return p;
  }
  function graded(kind, v) {
    if (v === null || v === undefined) { return "#d1d5db"; }
    var g = GRADES[kind], i = g.breaks.length - 1;
    while (i > 0 && v < g.breaks[i]) { i -= 1; }
    return g.colours[i];
  }
  function colourOf(item) {
    var layer = layerName();
    if (layer === "tax") { return graded("tax", item.tax); }
    if (layer === "va") { return graded("va", item.va); }
    if (layer === "low") { return item.low ? "#b91c1c" : "#e5e7eb"; }
    if (layer === "leased") { return item.leased > 0 ? "#7c3aed" : "#e5e7eb"; }
    return CLASS_COLOURS[item.cls || ""];
  }
  function tip(item) {
    var lines = [];
    if (item.name) { lines.push("<strong>" + escapeHtml(item.name) + "</strong>"); }
    if (item.cert) { lines.push(escapeHtml(item.cert)); }
    if (item.n) { lines.push(INT.format(item.n) + " " + words.count); }
    lines.push(words["class"] + "：" + (item.cls || words.none));
    lines.push(words.tax + "：" + money(item.tax) + " " + words.unit);
    lines.push(words.va + "：" + money(item.va) + " " + words.unit);
    lines.push(words.declared + "：" + money(item.area) + " " + words.mu + (item.drawn !== undefined && item.drawn !== null ? "；" + words.drawn + "：" + money(item.drawn) + " " + words.mu : ""));
    if (item.leased > 0) { lines.push(words.leased + "：" + money(item.leased) + " " + words.mu); }
    if (item.warning) { lines.push("⚠ " + escapeHtml(item.warning)); }
    if (item.uscc) { lines.push("<span class='muted'>" + words.click + "</span>"); }
    return lines.join("<br>");
  }
  function escapeHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }

  function draw() {
    parcelLayer.clearLayers();
    state.drawn = [];
    var data = state.data;
    if (!data) { return; }
    var townsMode = layerName() === "towns";
    styleTowns(townsMode);
    if (data.mode === "shapes") {
      var features = [];
      data.parcels.forEach(function (p) {
        if (!p[11]) { return; }
        var owner = data.owners[p[2]];
        var item = { id: p[0], cert: p[1], uscc: owner[0], name: owner[1], cls: p[3], tax: p[4], va: p[5], area: p[6], drawn: p[7], leased: p[8], low: p[9], warning: p[10] };
        item.geometry = JSON.parse(p[11]);
        item.colour = colourOf(item);
        state.drawn.push(item);
        features.push({ type: "Feature", geometry: item.geometry, properties: item });
      });
      // one layer for every parcel, one tooltip moved from parcel to parcel
      var shapes = L.geoJSON({ type: "FeatureCollection", features: features }, {
        renderer: renderer,
        style: function (f) { return { color: townsMode ? "#94a3b8" : "#334155", weight: 0.6, fillColor: f.properties.colour, fillOpacity: townsMode ? 0.25 : 0.85 }; }
      });
      shapes.bindTooltip(function (layer) { return tip(layer.feature.properties); }, { sticky: true, className: "parcel-tip" });
      shapes.on("click", function (e) { window.location.href = config.enterpriseUrl.replace("USCC", encodeURIComponent(e.layer.feature.properties.uscc)); });
      shapes.addTo(parcelLayer);
      statusBox.textContent = INT.format(data.count) + " " + words.count;
    } else {
      data.cells.forEach(function (c) {
        var item = { lon: c[0], lat: c[1], n: c[2], area: c[3], cls: c[4], tax: c[5], va: c[6], low: c[7] > 0, leased: c[8] };
        var colour = colourOf(item);
        var marker = L.circleMarker([c[1], c[0]], { renderer: renderer, radius: Math.max(3, Math.min(14, Math.sqrt(c[3]) / 4)), color: "#334155", weight: 0.5, fillColor: colour, fillOpacity: 0.85 });
        marker.bindTooltip(tip(item), { sticky: true, className: "parcel-tip" });
        marker.on("click", function () { map.setView([c[1], c[0]], Math.max(map.getZoom() + 2, config.shapesFromZoom)); });
        marker.addTo(parcelLayer);
        item.colour = colour;
        state.drawn.push(item);
      });
      statusBox.textContent = INT.format(data.count) + " " + words.count + "：" + words.cells;
    }
    legend.update();
    fillTowns(data.towns);
  }

  function styleTowns(townsMode) {
    var byId = {};
    (state.data ? state.data.towns : []).forEach(function (t) { byId[t.id] = t; });
    townLayer.eachLayer(function (layer) {
      var t = byId[layer.feature.properties.id];
      var fill = townsMode && t ? graded("tax", t.tax_per_mu) : "#ffffff";
      layer.setStyle({ fillColor: fill, fillOpacity: townsMode ? 0.75 : 0.6 });
      var name = layer.feature.properties.name;
      layer.setTooltipContent(t ? name + "<br>" + words.tax + "：" + money(t.tax_per_mu) + " " + words.unit + "<br>" + words.share + "：" + pct(t.cd_share) + "<br>" + words.low + "：" + money(t.low_area) + " " + words.mu : name);
    });
  }

  function fillTowns(list) {
    var body = document.querySelector("#town-table tbody");
    var foot = document.querySelector("#town-table tfoot");
    body.innerHTML = "";
    foot.innerHTML = "";
    var shown = list.filter(function (t) { return t.count > 0; });
    if (!shown.length) {
      body.innerHTML = "<tr><td colspan='8' class='muted'>" + words.empty + "</td></tr>";
      return;
    }
    var total = { count: 0, area: 0, tax: 0, taxed: 0, cd: 0, lowCount: 0, low: 0 };
    shown.forEach(function (t) {
      var tr = document.createElement("tr");
      tr.dataset.town = t.id;
      tr.innerHTML = "<td>" + escapeHtml(t.name) + "</td><td class='num'>" + INT.format(t.count) + "</td><td class='num'>" + money(t.area) +
        "</td><td class='num'>" + money(t.tax_per_mu) + "</td><td class='num'>" + money(t.cd_area) + "</td><td class='num'>" + pct(t.cd_share) +
        "</td><td class='num low-count'>" + INT.format(t.low_count) + "</td><td class='num low-area'>" + money(t.low_area) + "</td>";
      body.appendChild(tr);
      total.count += t.count; total.area += t.area; total.tax += t.tax; total.taxed += t.taxed_area;
      total.cd += t.cd_area; total.lowCount += t.low_count; total.low += t.low_area;
    });
    foot.innerHTML = "<tr><td>" + words.total + "</td><td class='num'>" + INT.format(total.count) + "</td><td class='num'>" + money(total.area) +
      "</td><td class='num'>" + money(total.taxed ? total.tax / total.taxed : null) + "</td><td class='num'>" + money(total.cd) +
      "</td><td class='num'>" + pct(total.area ? total.cd / total.area : null) + "</td><td class='num'>" + INT.format(total.lowCount) +
      "</td><td class='num'>" + money(total.low) + "</td></tr>";
  }

  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () { this._div = L.DomUtil.create("div", "map-legend"); return this._div; };
  legend.update = function () {
    var layer = layerName(), rows = [];
    var title = document.getElementById("map-layer").selectedOptions[0].textContent;
    if (layer === "class") {
      ["A", "B", "C", "D", ""].forEach(function (c) { rows.push([CLASS_COLOURS[c], c || words.none]); });
    } else if (layer === "tax" || layer === "va" || layer === "towns") {
      var g = GRADES[layer === "va" ? "va" : "tax"];
      g.breaks.forEach(function (b, i) {
        var next = g.breaks[i + 1];
        rows.push([g.colours[i], next === undefined ? "≥ " + b : b + " – " + next]);
      });
      rows.push(["#d1d5db", words.nodata]);
      title += "（" + words.unit + "）";
    } else if (layer === "low") {
      rows.push(["#b91c1c", words.low]); rows.push(["#e5e7eb", words.other]);
    } else {
      rows.push(["#7c3aed", words.leased]); rows.push(["#e5e7eb", words.other]);
    }
    legendRows = rows; legendTitle = title;
    this._div.innerHTML = "<strong>" + escapeHtml(title) + "</strong>" + rows.map(function (r) { return "<i style='background:" + r[0] + "'></i>" + escapeHtml(r[1]); }).join("<br>");
  };
  var legendRows = [], legendTitle = "";
  legend.addTo(map);

  var pending = null, timer = null;
  function load() {
    if (pending) { pending.abort(); }
    pending = new AbortController();
    statusBox.textContent = words.loading;
    var p = params(true);
    updateExports();
    fetch(config.dataUrl + "?" + p.toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (!res.ok) { statusBox.textContent = res.body.detail || words.empty; state.data = null; parcelLayer.clearLayers(); return; }
        state.data = res.body;
        draw();
        document.body.dataset.mapReady = "1";
      })
      .catch(function (e) { if (e.name !== "AbortError") { statusBox.textContent = String(e); } });
  }
  function later() { clearTimeout(timer); timer = setTimeout(load, 150); }
  function updateExports() {
    var p = params(true);
    p.set("layer", layerName());
    document.getElementById("export-geojson").href = document.getElementById("export-geojson").href.split("?")[0] + "?" + p.toString();
    document.getElementById("export-xlsx").href = document.getElementById("export-xlsx").href.split("?")[0] + "?" + p.toString();
    var page = params(false);
    history.replaceState(null, "", "?" + page.toString());
  }
  map.on("moveend", later);
  form.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  form.addEventListener("change", function (e) {
    if (e.target.name === "layer" && state.data) { draw(); updateExports(); return; }
    if (e.target.name === "year") { form.submit(); return; }
    later();
  });
  document.getElementById("map-threshold").addEventListener("input", later);

  document.getElementById("export-png").addEventListener("click", function () {
    var size = map.getSize(), scale = 2;
    var canvas = document.createElement("canvas");
    canvas.width = size.x * scale; canvas.height = (size.y + 40) * scale;
    var ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, size.x, size.y + 40);
    function path(coords) {
      coords.forEach(function (ring) {
        ring.forEach(function (c, i) { var pt = map.latLngToContainerPoint([c[1], c[0]]); if (i) { ctx.lineTo(pt.x, pt.y); } else { ctx.moveTo(pt.x, pt.y); } });
        ctx.closePath();
      });
    }
    function polygons(g) { return g.type === "Polygon" ? [g.coordinates] : g.coordinates; }
    townLayer.eachLayer(function (layer) {
      var opts = layer.options;
      polygons(layer.feature.geometry).forEach(function (poly) { ctx.beginPath(); path(poly); ctx.fillStyle = opts.fillColor || "#fff"; ctx.globalAlpha = 0.75; ctx.fill(); ctx.globalAlpha = 1; ctx.strokeStyle = "#475569"; ctx.stroke(); });
    });
    state.drawn.forEach(function (item) {
      ctx.fillStyle = item.colour;
      if (item.geometry) {
        polygons(item.geometry).forEach(function (poly) { ctx.beginPath(); path(poly); ctx.fill(); });
      } else {
        var pt = map.latLngToContainerPoint([item.lat, item.lon]);
        ctx.beginPath(); ctx.arc(pt.x, pt.y, Math.max(3, Math.min(14, Math.sqrt(item.area) / 4)), 0, Math.PI * 2); ctx.fill();
      }
    });
    ctx.font = "13px sans-serif"; ctx.fillStyle = "#1f2933";
    ctx.fillText(document.querySelector("h1").textContent + " · " + legendTitle, 8, size.y + 16);
    var x = 8;
    legendRows.forEach(function (r) { ctx.fillStyle = r[0]; ctx.fillRect(x, size.y + 24, 12, 10); ctx.fillStyle = "#1f2933"; ctx.fillText(r[1], x + 16, size.y + 34); x += 24 + ctx.measureText(r[1]).width; });
    var link = document.createElement("a");
    link.download = "亩均地图.png";
    link.href = canvas.toDataURL("image/png");
    document.body.appendChild(link); link.click(); link.remove();
  });

  load();
})();
