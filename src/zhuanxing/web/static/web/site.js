// Site-wide behaviour without inline handlers (the Content-Security-Policy forbids them).
// - <select data-autosubmit> submits its form when changed (the language switch).
// - <button data-confirm="..."> / <form data-confirm="..."> asks before an irreversible action.
// - <button class="menu-toggle"> opens and closes the header's menu on narrow screens.
// - a table box that scrolls sideways (a narrow screen) can take focus, so the keyboard scrolls it.
(function () {
  "use strict";
  var SCROLL_BOXES = "table.data, .table-scroll, .scroll-x, .scroll";
  function focusScrollBoxes(root) {
    Array.prototype.forEach.call(root.querySelectorAll(SCROLL_BOXES), function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  focusScrollBoxes(document);
  window.addEventListener("resize", function () { focusScrollBoxes(document); });
  document.addEventListener("htmx:afterSettle", function (event) { focusScrollBoxes(event.target); });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  // The sentence comes from the button that submits (several actions may share one form),
  // else from the form; the submit event also covers Enter pressed in a field.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("button.menu-toggle");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.closest(".topbar").classList.toggle("menu-open", open);
    }
  });
})();
