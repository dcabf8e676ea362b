/* Tværs: renders the Vega-Lite charts of a page.
   Each chart's specification is JSON data in <script type="application/json" data-chart=ID>
   (data, not code, so the Content-Security-Policy "script-src 'self'" holds) and is drawn
   into the element with that id. Expressions are evaluated by vega-interpreter instead of
   generated code (no 'unsafe-eval'), and vega-embed is told not to inject style elements
   (no 'unsafe-inline' styles): the tooltip's look is in tvaers.css. */
(function () {
  "use strict";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    ast: true,
    tooltip: { disableDefaultStyle: true },
  };

  function render(root) {
    var nodes = root.querySelectorAll("script[type='application/json'][data-chart]");
    Array.prototype.forEach.call(nodes, function (node) {
      var target = document.getElementById(node.getAttribute("data-chart"));
      if (!target || target.getAttribute("data-rendered")) {
        return;
      }
      target.setAttribute("data-rendered", "pending");
      var options = Object.assign({}, OPTIONS, {
        expr: window.vegaInterpreter.expressionInterpreter,
      });
      window
        .vegaEmbed(target, JSON.parse(node.textContent), options)
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
  document.addEventListener("htmx:afterSettle", function (event) {
    render(event.target);
  });
})();
