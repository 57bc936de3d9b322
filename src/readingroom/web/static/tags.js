// Tags in the viewer: t focuses "Add a tag" (the form works without this script).
(function () {
  "use strict";
  var input = document.getElementById("tag-input");
  if (!input) return;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "t" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    event.preventDefault();
    input.focus();
  });
})();
