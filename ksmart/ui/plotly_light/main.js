// The Streamlit side of a components v1 iframe, written by hand (no streamlit-component-lib):
// say "ready", draw each "render" message's figures side by side, keep the frame as tall as they are.
(function () {
  "use strict";
  var args = null;  // the latest render arguments: {figures: [{spec, config}], height, gap_rem}
  var shownHeight = null;

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
    args.figures.forEach(function (item, i) {
      var figure = JSON.parse(item.spec), layout = figure.layout || {};
      var cell = row.children[i];
      // A responsive plot fills its cell: the cell gets the figure's height (its width is the flex share).
      cell.style.height = (layout.height || args.height) + "px";
      window.Plotly.react(cell, figure.data || [], layout, Object.assign({responsive: true}, item.config));
    });
  }

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
