// Draws the plotly charts of a page from their data- attributes (no inline script:
// the Content-Security-Policy forbids it). Each <div data-plotly-figure> holds the
// figure's JSON and <div data-plotly-config> the options; htmx swaps are drawn too.
// plotly.js (4.8 MB, the script tag's data-plotly-src) is fetched only after the page's load
// event, and each chart is drawn when it scrolls into view, so the page's text and figures
// show first and the load event does not wait for plotly.
(function () {
  "use strict";
  var plotlySrc = document.currentScript && document.currentScript.getAttribute("data-plotly-src");
  function drawChart(node) {
    if (node.hasAttribute("data-plotly-drawn")) {
      return;
    }
    var figure = JSON.parse(node.getAttribute("data-plotly-figure"));
    var config = JSON.parse(node.getAttribute("data-plotly-config") || "{}");
    node.setAttribute("data-plotly-drawn", "1");
    window.Plotly.newPlot(node, figure.data || [], figure.layout || {}, config);
  }
  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        drawChart(entry.target);
      }
    });
  }, { rootMargin: "200px" }) : null;
  function draw(root) {
    var nodes = (root || document).querySelectorAll("div[data-plotly-figure]:not([data-plotly-drawn])");
    Array.prototype.forEach.call(nodes, function (node) {
      if (observer) {
        observer.observe(node);
      } else {
        drawChart(node);
      }
    });
  }
  var plotlyReady = false;
  function loadPlotly() {
    if (window.Plotly || !plotlySrc) {
      plotlyReady = true;
      draw(document);
      return;
    }
    var script = document.createElement("script");
    script.src = plotlySrc;
    script.onload = function () {
      plotlyReady = true;
      draw(document);
    };
    document.head.appendChild(script);
  }
  if (document.readyState === "complete") {
    loadPlotly();
  } else {
    window.addEventListener("load", loadPlotly);
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    if (plotlyReady) {
      draw(event.target);
    }
  });
})();
