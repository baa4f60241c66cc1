// Moderation: quicker decisions in the queue. Without JavaScript every box is ticked by hand,
// every decision loads the queue again at the next comment's anchor, and the server asks on
// a page of its own before deleting.
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

  // The queue at speed: j/k move, a/h/d decide, u undoes, ? lists the keys. Decisions are
  // sent in the background; the focus moves on to the next comment and the status line
  // (a live region) says what happened.
  function keyboardQueue() {
    var queue = document.getElementById("queue");
    var keys = document.getElementById("queue-keys");
    var status = document.getElementById("queue-status");
    if (!queue || !keys || !status) return;
    var list = document.getElementById("queue-keys-list");
    var summary = document.getElementById("queue-summary");
    var here = queue.getAttribute("data-here");
    var lastUndo = null;
    var beforeList = null;
    keys.hidden = false;

    function entries() {
      return Array.prototype.filter.call(queue.querySelectorAll(".queue-entry"), function (entry) {
        return !entry.hidden;
      });
    }

    function current() {
      var active = document.activeElement;
      var entry = active && active.closest ? active.closest(".queue-entry") : null;
      return entry && !entry.hidden ? entry : null;
    }

    function say(text, undo) {
      status.textContent = "";
      var line = document.createElement("p");
      line.textContent = text;
      status.appendChild(line);
      if (undo) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary queue-status__undo";
        button.textContent = undo.label;
        button.setAttribute("aria-keyshortcuts", "u");
        button.addEventListener("click", undoLast);
        line.appendChild(document.createTextNode(" " + undo.text + " "));
        line.appendChild(button);
      }
    }

    function position(entry) {
      var shown = entries();
      return keys.getAttribute("data-position")
        .replace("__NUM__", shown.indexOf(entry) + 1)
        .replace("__TOTAL__", shown.length)
        .replace("__NAME__", entry.getAttribute("data-author") || "");
    }

    function focusEntry(entry, message, undo) {
      entry.focus();
      say((message ? message + " " : "") + position(entry), undo);
    }

    function move(step) {
      var shown = entries();
      if (!shown.length) return;
      var at = shown.indexOf(current());
      var next = at < 0 ? shown[0] : shown[at + step];
      if (next) focusEntry(next);
      else if (step > 0) say(keys.getAttribute("data-last"));
    }

    // Where to go on from *entry*: the next comment, else an earlier one still undecided.
    function following(entry) {
      var all = Array.prototype.slice.call(queue.querySelectorAll(".queue-entry"));
      var after = all.slice(all.indexOf(entry) + 1).concat(all.slice(0, all.indexOf(entry)));
      for (var i = 0; i < after.length; i++) if (!after[i].hidden) return after[i];
      return null;
    }

    function reloadAt(hash) {
      window.history.replaceState(null, "", here + hash);
      window.location.reload();
    }

    function post(url, data) {
      return fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      });
    }

    function decided(entry, body) {
      var next = following(entry);
      entry.hidden = true;
      if (summary && body.waiting_text) summary.textContent = body.waiting_text;
      lastUndo = body.undo ? { url: body.undo.url, entry: entry } : null;
      if (next) {
        focusEntry(next, body.message, body.undo);
      } else if (body.waiting > 0) {
        var more = queue.getAttribute("data-following");
        reloadAt(more ? "#entry-" + more : "#queue-top");
      } else {
        say(body.message + " " + keys.getAttribute("data-empty"), body.undo);
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    }

    function send(form, confirmed) {
      var entry = form.closest(".queue-entry");
      var data = new FormData(form);
      if (confirmed) data.set("confirmed", "1");
      post(form.action, data).then(function (answer) {
        if (answer.body.ok) {
          decided(entry, answer.body);
        } else if (answer.status === 409) {
          // Someone else was quicker: this comment is dealt with, go on to the next.
          entry.hidden = true;
          var next = following(entry);
          if (next) focusEntry(next, answer.body.message);
          else say(answer.body.message);
        } else {
          say(answer.body.message || keys.getAttribute("data-failed"));
        }
      }).catch(function () {
        say(keys.getAttribute("data-failed"));
      });
    }

    function undoLast() {
      if (!lastUndo) return;
      var undo = lastUndo;
      lastUndo = null;
      var data = new FormData();
      data.append("csrf_token", document.querySelector("input[name=csrf_token]").value);
      post(undo.url, data).then(function (answer) {
        if (!answer.body.ok) {
          say(answer.body.message || keys.getAttribute("data-failed"));
          return;
        }
        undo.entry.hidden = false;
        if (summary && answer.body.waiting_text) summary.textContent = answer.body.waiting_text;
        focusEntry(undo.entry, answer.body.message);
      }).catch(function () {
        say(keys.getAttribute("data-failed"));
      });
    }

    function decide(name) {
      var entry = current() || entries()[0];
      if (!entry) return;
      var form = entry.querySelector("form[data-decision=" + name + "]");
      if (form) form.requestSubmit();
    }

    // h and d open the entry's reason field; Enter then sends, Escape closes it again.
    function askReason(shortcut) {
      var entry = current() || entries()[0];
      if (!entry) return;
      var details = entry.querySelector("details[data-shortcut=" + shortcut + "]");
      if (!details) return;
      details.open = true;
      details.querySelector("input[name=reason]").focus();
    }

    function toggleList() {
      if (list.hidden) {
        beforeList = document.activeElement;
        list.hidden = false;
        list.focus();
      } else {
        list.hidden = true;
        if (beforeList && beforeList.focus) beforeList.focus();
      }
    }

    // Decisions in the queue are sent here; a deletion is confirmed here too (the page-wide
    // confirmation in comments.js listens further up and is not reached).
    queue.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || !form.hasAttribute("data-decision")) return;
      event.preventDefault();
      event.stopPropagation();
      var question = form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) return;
      send(form, Boolean(question));
    });

    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      var target = event.target;
      if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
        var details = target.closest("details");
        if (event.key === "Escape" && details && queue.contains(details)) {
          details.open = false;
          target.closest(".queue-entry").focus();
          event.preventDefault();
        }
        return;
      }
      var actions = {
        j: function () { move(1); },
        k: function () { move(-1); },
        a: function () { decide("approve"); },
        h: function () { askReason("h"); },
        d: function () { askReason("d"); },
        u: undoLast,
        "?": toggleList
      };
      if (!Object.prototype.hasOwnProperty.call(actions, event.key)) return;
      event.preventDefault();
      actions[event.key]();
    });

    var match = /^#entry-(\d+)$/.exec(window.location.hash);
    var start = match && document.getElementById("entry-" + match[1]);
    if (start) focusEntry(start);
    else if (window.location.hash === "#queue-top" && entries().length) focusEntry(entries()[0]);
  }

  document.addEventListener("DOMContentLoaded", function () {
    selectAll();
    requireSelection();
    keyboardQueue();
  });
})();
