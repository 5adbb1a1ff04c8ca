// Reloads the batch page while the batch is being computed. An external script rather than a
// <meta http-equiv="refresh">: the latter fails WCAG 2.2.1 (axe: meta-refresh) and a strict
// Content-Security-Policy forbids inline scripts. Without JavaScript, a link does the same.
(function () {
  var element = document.querySelector("[data-refresh-seconds]");
  if (element) {
    var seconds = Number(element.getAttribute("data-refresh-seconds")) || 2;
    window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
  }
})();
