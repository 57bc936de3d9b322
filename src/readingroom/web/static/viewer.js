// Keyboard paging for the document viewer: ← / k previous, → / j next,
// n / p next / previous matching page, g focuses "Go to Bates".
(function () {
  "use strict";
  var keys = {
    ArrowLeft: "prev-page", k: "prev-page",
    ArrowRight: "next-page", j: "next-page",
    n: "next-hit", p: "prev-hit"
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    if (event.key === "g") {
      var bates = document.getElementById("bates");
      if (bates) { event.preventDefault(); bates.focus(); }
      return;
    }
    var id = keys[event.key];
    var link = id && document.getElementById(id);
    if (link) { event.preventDefault(); window.location.href = link.href; }
  });
  // Zoom: the image (and its highlight boxes, placed in %) widen inside a scrolling frame.
  var wrap = document.querySelector(".imgframe .imgwrap");
  var level = document.getElementById("zoom-level");
  var zoom = 100;
  function setZoom(z) {
    if (!wrap) return;
    zoom = Math.max(50, Math.min(400, z));
    wrap.style.width = zoom + "%";
    if (level) level.textContent = zoom + "%";
  }
  [["zoom-in", 25], ["zoom-out", -25]].forEach(function (pair) {
    var b = document.getElementById(pair[0]);
    if (b) b.addEventListener("click", function () { setZoom(zoom + pair[1]); });
  });
  var fit = document.getElementById("zoom-fit");
  if (fit) fit.addEventListener("click", function () { setZoom(100); });
  document.addEventListener("keydown", function (event) {
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "+" || event.key === "=") { setZoom(zoom + 25); event.preventDefault(); }
    else if (event.key === "-") { setZoom(zoom - 25); event.preventDefault(); }
    else if (event.key === "0") { setZoom(100); event.preventDefault(); }
  });
  // Bring the first highlighted word into view on tall pages.
  var first = document.querySelector(".page-text mark");
  if (first && first.getBoundingClientRect().top > window.innerHeight) {
    first.scrollIntoView({ block: "center" });
  }
})();
