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
// Cite: select words in the page text, then record them in a finding. The quote is
// sent with the text just before and after it (as Hypothesis anchors a quote), so the
// server finds the right occurrence on the page; it refuses words not on the page.
(function () {
  "use strict";
  var text = document.getElementById("page-text");
  var panel = document.getElementById("cite-panel");
  if (!text || !panel) return;
  var CONTEXT = 32;
  var exact = document.getElementById("cite-exact");
  var prefix = document.getElementById("cite-prefix");
  var suffix = document.getElementById("cite-suffix");
  var shown = document.getElementById("cite-quote");
  var select = document.getElementById("cite-finding");
  var claimRow = document.getElementById("cite-claim-row");
  var claim = document.getElementById("cite-claim");
  var loaded = false;

  // Findings that already cite this page, listed under its text.
  var here = document.getElementById("cited-here");
  var myKey = panel.querySelector("input[name=key]").value;
  var myPage = Number(panel.querySelector("input[name=page]").value);
  if (here) {
    fetch("/findings.json", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { findings: [] }; })
      .then(function (data) {
        (data.findings || []).forEach(function (f) {
          (f.citations || []).forEach(function (c) {
            if (c.key !== myKey || c.page !== myPage) return;
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = "/findings#finding-" + f.id;
            a.textContent = "Finding " + f.id + ": " + f.claim;
            var q = document.createElement("q");
            q.textContent = c.exact;
            li.appendChild(a);
            li.appendChild(document.createTextNode(" — "));
            li.appendChild(q);
            here.appendChild(li);
          });
        });
        here.hidden = !here.children.length;
      })
      .catch(function () { /* the page reads the same without the list */ });
  }

  function loadFindings() {
    if (loaded) return;
    loaded = true;
    fetch("/findings.json", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { findings: [] }; })
      .then(function (data) {
        (data.findings || []).forEach(function (f) {
          var o = document.createElement("option");
          o.value = String(f.id);
          o.textContent = f.id + ". " + (f.claim.length > 70 ? f.claim.slice(0, 69) + "…" : f.claim);
          select.appendChild(o);
        });
      })
      .catch(function () { /* a new finding still works */ });
  }

  function selectionInText() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    var quote = range.toString();
    if (!quote.trim()) return null;
    var before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    var after = document.createRange();
    after.selectNodeContents(text);
    after.setStart(range.endContainer, range.endOffset);
    var b = before.toString();
    return { exact: quote, prefix: b.slice(Math.max(0, b.length - CONTEXT)), suffix: after.toString().slice(0, CONTEXT) };
  }

  function open(found) {
    exact.value = found.exact.trim();
    prefix.value = found.prefix;
    suffix.value = found.suffix;
    shown.textContent = found.exact.trim();
    panel.hidden = false;
    loadFindings();
  }

  function onSelect() {
    var found = selectionInText();
    if (found) open(found);
  }
  text.addEventListener("mouseup", function () { window.setTimeout(onSelect, 0); });
  text.addEventListener("keyup", function (e) { if (e.shiftKey) onSelect(); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "c" || event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var found = selectionInText();
    if (found) { event.preventDefault(); open(found); claim.focus(); }
  });
  select.addEventListener("change", function () {
    claimRow.hidden = select.value !== "";
  });
  document.getElementById("cite-cancel").addEventListener("click", function () {
    panel.hidden = true;
  });
})();
