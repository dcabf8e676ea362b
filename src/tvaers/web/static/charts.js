/* Tværs: renders the Vega-Lite charts of a page, and makes them usable without a mouse.
   Each chart's specification is JSON in the data-spec attribute of its element (data, not
   code, so the Content-Security-Policy "script-src 'self'" holds) and is drawn into it.
   Expressions are evaluated by vega-interpreter instead of generated code (no
   'unsafe-eval'), and vega-embed is told not to inject style elements (no 'unsafe-inline'
   styles): the tooltip's look is in tvaers.css.
   A chart's figures are shown in its readout, a line of the page under the chart (a live
   region, so screen readers say them too), with the tooltip fields and formats of its
   specification: for the mouse, the figures of the mark under the pointer; for the keyboard
   (WCAG 2.1.1), a chart takes focus, and the arrow keys, Home and End step through its
   figures. There is no floating tooltip: a box that follows the pointer vanishes when the
   pointer moves onto it, which WCAG 1.4.13 does not allow; the readout stays until other
   figures replace it or Escape clears it. The same numbers are in the table that each
   chart links to. After a switch swaps the dashboard, the new choice is written to
   a status region outside it, so screen readers announce what is shown now. */
(function () {
  "use strict";

  var OPTIONS = {
    mode: "vega-lite",
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    ast: true,
  };

  var STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  // The page's number and date formats for the axes and labels (d3-format and
  // d3-time-format locales, which vega-embed hands to Vega): Danish pages write 1.000 and
  // 0,5 and Danish month names; English pages keep Vega's own (en-US number formats, with
  // the British day-month order).
  var LOCALES = {
    da: {
      number: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] },
      time: {
        dateTime: "%A den %d. %B %Y %X",
        date: "%d.%m.%Y",
        time: "%H.%M.%S",
        periods: ["", ""],
        days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december"],
        shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt",
          "nov", "dec"],
      },
    },
    en: {
      number: { decimal: ".", thousands: ",", grouping: [3], currency: ["£", ""] },
      time: {
        dateTime: "%a %e %b %Y %X",
        date: "%d/%m/%Y",
        time: "%H:%M:%S",
        periods: ["AM", "PM"],
        days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        shortDays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"],
        shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
          "Nov", "Dec"],
      },
    },
  };

  function locale() {
    return LOCALES[document.documentElement.lang] || LOCALES.da;
  }

  // The tooltip fields of the layer that draws the chart's own data.
  function tooltipFields(spec) {
    var layers = spec.layer || [spec];
    for (var i = 0; i < layers.length; i++) {
      var encoding = layers[i].encoding || {};
      if (!layers[i].data && encoding.tooltip) {
        return encoding.tooltip;
      }
    }
    return [];
  }

  // Numbers as the page writes them: decimal comma in Danish, the tooltip's decimals.
  function formatter(lang) {
    var locale = lang === "en" ? "en-GB" : "da-DK";
    return function (value, format) {
      if (typeof value !== "number") {
        return String(value);
      }
      var decimals = /\.(\d+)f/.exec(format || "");
      var digits = decimals ? Number(decimals[1]) : Number.isInteger(value) ? 0 : 1;
      return new Intl.NumberFormat(locale, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(value);
    };
  }

  function describe(row, fields, format) {
    var parts = [];
    fields.forEach(function (field) {
      var value = row[field.field];
      if (value === null || value === undefined) {
        return;
      }
      var title = (field.title || "").trim();
      var text = format(value, field.format);
      parts.push(title ? title + ": " + text : text);
    });
    return parts.join(" · ");
  }

  // The figures of the mark under the pointer, written to the readout (vega-embed calls
  // this instead of drawing a tooltip). Leaving a mark keeps them: they stay readable.
  function pointer(readout, fields, format) {
    return function (handler, event, item, value) {
      if (value === null || value === undefined || value === "") {
        return;
      }
      var text = item && item.datum ? describe(item.datum, fields, format) : "";
      if (!text && typeof value === "object") {
        // a mark of another layer (e.g. the funnel's limits): its own tooltip fields
        text = Object.keys(value)
          .map(function (key) {
            return key + ": " + format(value[key]);
          })
          .join(" · ");
      }
      readout.textContent = text || String(value);
    };
  }

  function explore(target, spec) {
    var rows = (spec.data && spec.data.values) || [];
    var fields = tooltipFields(spec);
    var readout = document.getElementById(target.getAttribute("data-readout"));
    if (!rows.length || !fields.length || !readout) {
      return null;
    }
    var format = formatter(document.documentElement.lang);
    var position = target.getAttribute("data-position") || "{n} / {total}";
    var index = -1;
    target.addEventListener("keydown", function (event) {
      var next;
      if (event.key === "Escape") {
        index = -1;
        readout.textContent = "";
        return;
      } else if (event.key in STEPS) {
        next = index < 0 ? 0 : index + STEPS[event.key];
      } else if (event.key === "Home") {
        next = 0;
      } else if (event.key === "End") {
        next = rows.length - 1;
      } else {
        return;
      }
      event.preventDefault(); // the arrows would scroll the page instead
      index = Math.max(0, Math.min(rows.length - 1, next));
      readout.textContent =
        describe(rows[index], fields, format) +
        " (" +
        position.replace("{n}", String(index + 1)).replace("{total}", String(rows.length)) +
        ")";
    });
    return pointer(readout, fields, format);
  }

  function render(root) {
    var nodes = root.querySelectorAll(".chart[data-spec]");
    Array.prototype.forEach.call(nodes, function (target) {
      if (target.getAttribute("data-rendered")) {
        return;
      }
      target.setAttribute("data-rendered", "pending");
      var onPointer = explore(target, JSON.parse(target.getAttribute("data-spec")));
      var options = Object.assign({}, OPTIONS, {
        expr: window.vegaInterpreter.expressionInterpreter,
        tooltip: onPointer || false,
        formatLocale: locale().number,
        timeFormatLocale: locale().time,
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

  // Figures shown for the mouse can be cleared without moving it (the keyboard's are cleared
  // by the chart's own Escape).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.target.closest(".chart")) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll(".chart-readout"), function (line) {
      line.textContent = "";
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    render(document);
  });
  // Switches swap the dashboard with HTMX: draw the charts that arrived.
  // (the whole document: after an outerHTML swap the event's target is no longer in it),
  // and tell screen readers what is shown now (the focus stays on the button).
  document.addEventListener("htmx:afterSettle", function () {
    render(document);
    var status = document.getElementById("dashboard-status");
    var choice = document.getElementById("dashboard-choice");
    if (status && choice) {
      status.textContent = choice.textContent;
    }
    // The address now holds the new choices: choosing a language keeps them.
    Array.prototype.forEach.call(document.querySelectorAll("input[name=next]"), function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  });
})();
