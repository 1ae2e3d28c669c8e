// SPDX-License-Identifier: AGPL-3.0-or-later
// Repeats each point of the quality box next to its form field (the box
// at the top stays the complete list; without JavaScript it is all there is)
// and points the box's links at the field's first input. Text is copied with
// textContent: nothing from the record becomes markup.
ckan.module("sca-form-feedback", function () {
  function inputFor(item) {
    var anchor = item.getAttribute("data-anchor");
    var field = item.getAttribute("data-field");
    if (!anchor) return null;
    return document.getElementById(anchor) ||
      document.querySelector('#dataset-edit [name="' + field.replace(/[^a-z_]/g, "") + '"]');
  }

  return {
    initialize: function () {
      var items = this.el[0].querySelectorAll("li[data-field]");
      Array.prototype.forEach.call(items, function (item, index) {
        var input = inputFor(item);
        if (!input) return;
        if (!input.id) input.id = "sca-feedback-target-" + index;
        var link = item.querySelector("a");
        if (link) link.setAttribute("href", "#" + input.id);
        var group = input.closest(".form-group, .control-group, fieldset") || input.parentNode;
        var hint = document.createElement("p");
        hint.className = "sca-field-feedback";
        hint.id = "sca-field-feedback-" + index;
        hint.textContent = item.querySelector(".sca-form-feedback-text").textContent;
        group.appendChild(hint);
        var described = input.getAttribute("aria-describedby");
        input.setAttribute("aria-describedby", (described ? described + " " : "") + hint.id);
      });
    }
  };
});
