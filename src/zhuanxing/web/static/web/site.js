// Site-wide behaviour without inline handlers (the Content-Security-Policy forbids them).
// - <select data-autosubmit> submits its form when changed (the language switch).
// - <button data-confirm="..."> / <form data-confirm="..."> asks before an irreversible action.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
