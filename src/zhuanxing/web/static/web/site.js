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
})();
