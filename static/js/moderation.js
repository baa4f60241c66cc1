// Moderation: quicker decisions in the queue. Without JavaScript every box is ticked by hand.
(function () {
  "use strict";

  // One box that ticks or clears every entry's box, placed in the bulk form.
  function selectAll() {
    var form = document.getElementById("bulk-form");
    var boxes = document.querySelectorAll("input.queue-entry__select");
    if (!form || !boxes.length) return;
    var wrapper = document.createElement("p");
    wrapper.className = "checkbox bulk-form__all";
    var all = document.createElement("input");
    all.type = "checkbox";
    all.id = "select-all";
    var label = document.createElement("label");
    label.htmlFor = "select-all";
    label.className = "checkbox";
    label.textContent = form.getAttribute("data-select-all") || "Select all";
    wrapper.appendChild(all);
    wrapper.appendChild(label);
    var fieldset = form.querySelector("fieldset");
    fieldset.insertBefore(wrapper, fieldset.querySelector(".form-actions"));

    function sync() {
      var ticked = 0;
      boxes.forEach(function (box) { if (box.checked) ticked++; });
      all.checked = ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  }

  // A bulk action with nothing selected would only come back with a message: say it here.
  function requireSelection() {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var note = document.createElement("p");
    note.className = "form-error";
    note.setAttribute("role", "alert");
    form.querySelector("fieldset").appendChild(note);
    form.addEventListener("submit", function (event) {
      if (!document.querySelector("input.queue-entry__select:checked")) {
        event.preventDefault();
        note.textContent = form.getAttribute("data-none-selected") || "";
      } else {
        note.textContent = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    selectAll();
    requireSelection();
  });
})();
