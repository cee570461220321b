// Draws the plotly charts of a page from their data- attributes (no inline script:
// the Content-Security-Policy forbids it). Each <div data-plotly-figure> holds the
// figure's JSON and <div data-plotly-config> the options; htmx swaps are drawn too.
(function () {
  "use strict";
  function draw(root) {
    if (!window.Plotly) {
      return;
    }
    var nodes = (root || document).querySelectorAll("div[data-plotly-figure]:not([data-plotly-drawn])");
    Array.prototype.forEach.call(nodes, function (node) {
      var figure = JSON.parse(node.getAttribute("data-plotly-figure"));
      var config = JSON.parse(node.getAttribute("data-plotly-config") || "{}");
      node.setAttribute("data-plotly-drawn", "1");
      window.Plotly.newPlot(node, figure.data || [], figure.layout || {}, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
