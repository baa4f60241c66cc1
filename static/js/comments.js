// Comments: reply in place, preview in place, drafts kept in the browser.
// Everything here has a server-side equivalent; without JavaScript the links and buttons
// lead to pages that do the same.
(function () {
  "use strict";

  // Asked here, the server need not ask again on a page of its own (as it does without
  // JavaScript): the form then says it was confirmed.
  function confirmDeletes() {
    document.addEventListener("submit", function (event) {
      var target = event.target;
      if (!target.matches || !target.matches("form[data-confirm]")) return;
      if (!window.confirm(target.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      var confirmed = target.querySelector("input[name=confirmed]");
      if (!confirmed) {
        confirmed = document.createElement("input");
        confirmed.type = "hidden";
        confirmed.name = "confirmed";
        target.appendChild(confirmed);
      }
      confirmed.value = "1";
    });
  }

  function draftStore(articleId) {
    var key = "diskurs:comment-draft:" + articleId;
    function safely(action) {
      try { return action(window.localStorage); } catch (error) { return null; }
    }
    return {
      load: function () {
        return safely(function (storage) { return JSON.parse(storage.getItem(key) || "null"); });
      },
      save: function (body, parentId) {
        safely(function (storage) {
          if (body.trim()) {
            storage.setItem(key, JSON.stringify({ body: body, parentId: parentId, saved: Date.now() }));
          } else {
            storage.removeItem(key);
          }
        });
      },
      clear: function () { safely(function (storage) { storage.removeItem(key); }); }
    };
  }

  function setUpForm(form) {
    var home = document.getElementById("comment-form-home");
    var body = form.querySelector("textarea[name=body]");
    var parentInput = form.querySelector("input[name=parent_id]");
    var replyBox = form.querySelector(".comment-form__reply");
    var replyLabel = form.querySelector(".comment-form__reply-to");
    var cancel = form.querySelector(".comment-form__cancel");
    var previewButton = form.querySelector(".comment-form__preview");
    var previewBox = form.querySelector(".comment-preview");
    var counter = form.querySelector(".comment-form__counter");
    var drafts = draftStore(form.getAttribute("data-article-id"));
    var lastReplyLink = null;

    if (form.getAttribute("data-posted") === "true") drafts.clear();

    function comment(id) {
      var element = document.getElementById("comment-" + id);
      return element && element.querySelector(".comment__reply") ? element : null;
    }

    function openReply(element) {
      parentInput.value = element.getAttribute("data-comment-id");
      replyLabel.textContent = replyBox.getAttribute("data-template").replace("__NAME__", element.getAttribute("data-author"));
      replyBox.hidden = false;
      element.insertAdjacentElement("afterend", form);
      form.classList.add("comment-form--reply");
    }

    function closeReply() {
      parentInput.value = "";
      replyLabel.textContent = "";
      replyBox.hidden = true;
      form.classList.remove("comment-form--reply");
      home.insertBefore(form, home.firstChild);
      drafts.save(body.value, "");
    }

    function showCount() {
      var max = parseInt(body.getAttribute("data-max-length"), 10);
      if (!counter || !max) return;
      var length = body.value.replace(/\r\n/g, "\n").length;
      counter.textContent = length > max * 0.9 ? length + " / " + max : "";
      body.setAttribute("aria-invalid", length > max ? "true" : "false");
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.comment__reply");
      if (!link) return;
      var element = comment(link.getAttribute("data-reply-to"));
      if (!element) return;
      event.preventDefault();
      lastReplyLink = link;
      openReply(element);
      drafts.save(body.value, parentInput.value);
      body.focus();
    });

    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      closeReply();
      if (lastReplyLink) lastReplyLink.focus(); else body.focus();
    });

    body.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && parentInput.value) {
        closeReply();
        if (lastReplyLink) lastReplyLink.focus();
      }
    });

    var saveTimer = null;
    body.addEventListener("input", function () {
      showCount();
      window.clearTimeout(saveTimer);
      saveTimer = window.setTimeout(function () { drafts.save(body.value, parentInput.value); }, 250);
    });
    window.addEventListener("pagehide", function () { drafts.save(body.value, parentInput.value); });

    var bypassPreview = false;
    if (previewButton && previewBox && window.fetch && window.FormData) {
      previewButton.addEventListener("click", function (event) {
        if (bypassPreview) return;
        event.preventDefault();
        var data = new FormData();
        data.append("body", body.value);
        data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
        fetch(form.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok && response.status !== 422) throw new Error("preview " + response.status);
            return response.text();
          })
          .then(function (html) { previewBox.innerHTML = html; })
          .catch(function () {
            // The session may have ended: let the server handle it (it keeps the text).
            bypassPreview = true;
            if (form.requestSubmit) form.requestSubmit(previewButton); else previewButton.click();
          });
      });
    }

    // Server-side state first (a refused text, a draft kept at login, ?reply_to=), then the
    // browser's own copy of an unsent text.
    var stored = drafts.load();
    if (!body.value && stored && stored.body) {
      body.value = stored.body;
      if (!parentInput.value && stored.parentId && comment(stored.parentId)) parentInput.value = stored.parentId;
    }
    if (parentInput.value && comment(parentInput.value)) openReply(comment(parentInput.value));
    showCount();
  }

  document.addEventListener("DOMContentLoaded", function () {
    confirmDeletes();
    var form = document.getElementById("comment-form");
    if (form && form.tagName === "FORM") setUpForm(form);
  });
})();
