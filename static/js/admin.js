// The editor without JavaScript works as it is; this only proposes the slug while the title
// is typed and suggests existing topics for the part of the topic list being typed.
(function () {
  "use strict";

  var GERMAN = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "Ss" };

  // The same rule as app/services/slugs.py: German transliteration, then ASCII words.
  function slugify(title) {
    var text = title.normalize("NFC").replace(/[äöüßÄÖÜẞ]/g, function (c) { return GERMAN[c]; });
    text = text.normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    var slug = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > 120) {
      var cut = slug.slice(0, 120);
      slug = cut.lastIndexOf("-") > 0 ? cut.slice(0, cut.lastIndexOf("-")) : cut;
    }
    return slug;
  }

  function proposeSlug() {
    var title = document.querySelector("[data-slug-source]");
    if (!title) return;
    var slug = document.getElementById(title.getAttribute("data-slug-source"));
    if (!slug) return;
    title.addEventListener("input", function () {
      slug.placeholder = slugify(title.value);
    });
  }

  // A datalist suggests whole values; offer "typed so far, topic" so each topic can be picked.
  function topicSuggestions() {
    var input = document.querySelector("input[list=existing-topics]");
    var list = document.getElementById("existing-topics");
    if (!input || !list) return;
    var names = Array.prototype.map.call(list.options, function (o) { return o.value; });
    input.addEventListener("input", function () {
      var parts = input.value.split(",");
      var done = parts.slice(0, -1).map(function (p) { return p.trim(); }).filter(Boolean);
      var prefix = done.length ? done.join(", ") + ", " : "";
      list.textContent = "";
      names.forEach(function (name) {
        if (done.indexOf(name) !== -1) return;
        var option = document.createElement("option");
        option.value = prefix + name;
        list.appendChild(option);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    proposeSlug();
    topicSuggestions();
  });
})();
