// The Streamlit side of a components v1 iframe, written by hand (no streamlit-component-lib):
// say "ready", draw each "render" message's figures side by side, keep the frame as tall as they are.
(function () {
  "use strict";
  var args = null;  // the latest render arguments: {figures: [{spec, config}], height, gap_rem, toolbar}
  var shownHeight = null;
  // Four corners, for the fullscreen button (plotly's icon format; drawn upright).
  var EXPAND = {width: 1000, height: 1000, transform: "matrix(1 0 0 1 0 0)",
                path: "M0 0H380V110H110V380H0ZM620 0H1000V380H890V110H620ZM0 620H110V890H380V1000H0Z" +
                      "M890 620H1000V1000H620V890H890Z"};

  function send(type, extra) {
    var message = {isStreamlitMessage: true, type: type};
    for (var k in extra) message[k] = extra[k];
    window.parent.postMessage(message, "*");
  }

  function setHeight(height) {
    if (height !== shownHeight) {
      shownHeight = height;
      send("streamlit:setFrameHeight", {height: height});
    }
  }

  function parentRem() {
    try {  // same origin: the gap follows the page's type size (larger in meeting mode)
      return parseFloat(window.parent.getComputedStyle(window.parent.document.documentElement).fontSize) || 16;
    } catch (e) {
      return 16;
    }
  }

  function draw() {
    if (!args || !window.Plotly) return;  // called again once both are here
    var row = document.getElementById("charts");
    row.style.gap = args.gap_rem * parentRem() + "px";
    // Every cell first, so that each plot sizes itself to its final width.
    while (row.children.length > args.figures.length) window.Plotly.purge(row.removeChild(row.lastChild));
    while (row.children.length < args.figures.length) {
      var cell = document.createElement("div");
      cell.className = "chart";
      row.appendChild(cell);
    }
    registerLocale();
    args.figures.forEach(function (item, i) {
      var figure = JSON.parse(item.spec), layout = figure.layout || {};
      var cell = row.children[i];
      // A responsive plot fills its cell: the cell gets the figure's height (its width is the flex share).
      cell.dataset.height = layout.height || args.height;
      cell.style.height = cell.dataset.height + "px";
      if (document.fullscreenElement === cell) layout.height = cell.clientHeight;
      var config = Object.assign({responsive: true, locale: "ksmart"}, item.config,
                                 {modeBarButtonsToAdd: [fullscreenButton()]});
      window.Plotly.react(cell, figure.data || [], layout, config);
    });
  }

  // plotly's own buttons (the PNG one) titled in the page's language: a locale of our own.
  function registerLocale() {
    window.Plotly.register({moduleType: "locale", name: "ksmart",
                            dictionary: {"Download plot as a PNG": args.toolbar.download_png}});
  }

  function fullscreenButton() {
    return {name: "fullscreen", val: "fullscreen", icon: EXPAND, title: args.toolbar.fullscreen,
            click: function (cell) {
              if (document.fullscreenElement === cell) document.exitFullscreen();
              else cell.requestFullscreen();
            }};
  }

  // Fullscreen: the cell fills the screen (the browser's own style), the plot follows its height;
  // back in the row it takes its figure's height again. The button's title says what a click does.
  document.addEventListener("fullscreenchange", function () {
    var row = document.getElementById("charts");
    Array.prototype.forEach.call(row.children, function (cell) {
      if (!cell.layout) return;  // not drawn yet
      var full = document.fullscreenElement === cell;
      // On the screen, the screen's size; in the row, the figure's height and the cell's width
      // (null: plotly sizes it to the cell again, and follows it as the window changes).
      var size = full ? {width: cell.clientWidth, height: cell.clientHeight}
                      : {width: null, height: Number(cell.dataset.height)};
      window.Plotly.relayout(cell, size).then(function () {
        var button = cell.querySelector('.modebar-btn[data-val="fullscreen"]');  // drawn anew by relayout
        if (button) button.setAttribute("data-title", full ? args.toolbar.exit_fullscreen : args.toolbar.fullscreen);
      });
    });
  });

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) return;
    var message = event.data;
    if (!message || message.type !== "streamlit:render") return;
    args = message.args;
    setHeight(args.height);
    draw();
  });

  window.ksmartLight = {draw: draw};
  send("streamlit:componentReady", {apiVersion: 1});
})();
