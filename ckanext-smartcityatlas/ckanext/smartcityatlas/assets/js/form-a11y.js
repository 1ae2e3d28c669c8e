// SPDX-License-Identifier: AGPL-3.0-or-later
// CKAN's tag field becomes a select2 widget whose combobox has no accessible
// name (axe-core: aria-input-field-name): name it after the field's label,
// also for widgets created after this script ran.
(function () {
  function label(container) {
    var original = container.previousElementSibling;
    if (!original || !original.id) return;
    var text = document.querySelector('label[for="' + original.id + '"]');
    var box = container.querySelector(".select2-selection");
    if (!text || !box || box.hasAttribute("aria-labelledby")) return;
    if (!text.id) text.id = original.id + "-label";
    box.setAttribute("aria-labelledby", text.id);
    var search = container.querySelector(".select2-search__field");
    if (search && !search.hasAttribute("aria-labelledby")) search.setAttribute("aria-labelledby", text.id);
  }
  function labelAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".select2-container"), label);
  }
  new MutationObserver(labelAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", labelAll);
})();
