// Tessere's page script, loaded as a file so that the Content-Security-Policy forbids inline code.
(function () {
  "use strict";
  // Elements that submit their form when changed (e.g. filters), marked data-autosubmit.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit();
    }
  });
})();
