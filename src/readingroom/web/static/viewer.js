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
  // Bring the first highlighted word into view on tall pages.
  var first = document.querySelector(".page-text mark");
  if (first && first.getBoundingClientRect().top > window.innerHeight) {
    first.scrollIntoView({ block: "center" });
  }
})();
