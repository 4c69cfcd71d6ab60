// The Streamlit side of a components v1 iframe, by hand (no streamlit-component-lib):
// say "ready", take each "render" message's figure, keep the frame as tall as the figure.
(function () {
  "use strict";
  var args = null;      // the latest render arguments: {spec, config, height}
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

  function draw() {
    if (!args || !window.Plotly) return;  // called again once both are here
    var figure = JSON.parse(args.spec);
    var config = Object.assign({responsive: true}, args.config);
    var chart = document.getElementById("chart");
    chart.style.height = args.height + "px";
    window.Plotly.react(chart, figure.data || [], figure.layout || {}, config);
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
