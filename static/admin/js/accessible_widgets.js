/* The admin's JavaScript widgets, named for assistive technologies (WCAG 4.1.2).
   select2 (autocomplete fields) draws its own search box and combobox without a name, and
   Django's two-list selector puts an aria-label on a role-less span, which ARIA forbids.
   Each widget is named after the label of the field it stands for, whenever it is drawn.
   The two-list selector also copies its source list's size onto the chosen list: size="0"
   when the source has none, which HTML forbids (a size is at least 1). */
(function () {
  "use strict";

  function fieldLabel(element) {
    var container = element.closest(".form-row, .fieldBox, div.related-widget-wrapper, td");
    var select = container && container.querySelector("select[id]");
    if (!select) {
      return "";
    }
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/\s*:\s*$/, "").trim() : "";
  }

  function name(root) {
    root.querySelectorAll(
      ".select2-search__field, .select2-selection, .select2-selection__rendered"
    ).forEach(function (el) {
      if (!el.getAttribute("aria-label")) {
        var text = fieldLabel(el);
        if (text) {
          el.setAttribute("aria-label", text);
        }
      }
    });
    root.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (el) {
      el.setAttribute("role", "img");
    });
    root.querySelectorAll('select[size="0"]').forEach(function (el) {
      el.removeAttribute("size");
    });
  }

  function start() {
    name(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            name(node.parentNode || node);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
