// Publish review queue: keyboard review (j/k move, c redact, d dismiss) and a
// confirmation before "Confirm all". No inline script: the CSP forbids it.
(function () {
  "use strict";
  const hits = Array.from(document.querySelectorAll("li.hit"));
  let at = hits.findIndex((li) => li.classList.contains("s-pending"));
  const target = location.hash && document.querySelector(location.hash);
  if (target && target.classList.contains("hit")) {
    // After a decision, move on to the next hit still pending.
    const i = hits.indexOf(target);
    const next = hits.slice(i).find((li) => li.classList.contains("s-pending"));
    at = hits.indexOf(next || target);
    (next || target).focus();
  }
  const revealed = document.getElementById("revealed");
  if (revealed) revealed.focus();
  document.querySelectorAll("button[data-confirm]").forEach((b) => {
    b.addEventListener("click", (e) => {
      if (!window.confirm(b.dataset.confirm)) e.preventDefault();
    });
  });
  document.addEventListener("keydown", (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey || !hits.length) return;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const move = { j: 1, k: -1 }[e.key];
    if (move) {
      at = Math.max(0, Math.min(hits.length - 1, (at < 0 ? 0 : at + move)));
      hits[at].focus();
      e.preventDefault();
      return;
    }
    const li = document.activeElement && document.activeElement.closest("li.hit");
    if (!li) return;
    const which = { c: "confirm", d: "dismiss" }[e.key];
    if (which) {
      li.querySelector(`button[value=${which}]`).click();
      e.preventDefault();
    }
  });
})();
