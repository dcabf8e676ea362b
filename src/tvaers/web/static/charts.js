/* Tværs: renders the Vega-Lite charts of a page.
   Each chart's specification is JSON in the data-spec attribute of its element (data, not
   code, so the Content-Security-Policy "script-src 'self'" holds) and is drawn into it. Expressions are evaluated by vega-interpreter instead of
   generated code (no 'unsafe-eval'), and vega-embed is told not to inject style elements
   (no 'unsafe-inline' styles): the tooltip's look is in tvaers.css. */
(function () {
  "use strict";

  var OPTIONS = {
    mode: "vega-lite",
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    ast: true,
    tooltip: { disableDefaultStyle: true },
  };

  function render(root) {
    var nodes = root.querySelectorAll(".chart[data-spec]");
    Array.prototype.forEach.call(nodes, function (target) {
      if (target.getAttribute("data-rendered")) {
        return;
      }
      target.setAttribute("data-rendered", "pending");
      var options = Object.assign({}, OPTIONS, {
        expr: window.vegaInterpreter.expressionInterpreter,
      });
      window
        .vegaEmbed(target, JSON.parse(target.getAttribute("data-spec")), options)
        .then(function () {
          target.setAttribute("data-rendered", "done");
        })
        .catch(function (error) {
          target.setAttribute("data-rendered", "failed");
          target.textContent = target.getAttribute("data-error") || "";
          window.console.error(error);
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    render(document);
  });
  // Switches swap the dashboard with HTMX: draw the charts that arrived.
  // (the whole document: after an outerHTML swap the event's target is no longer in it).
  document.addEventListener("htmx:afterSettle", function () {
    render(document);
  });
})();
