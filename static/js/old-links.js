// An old WordPress address such as /2012/03/01/slug/#comment-31 names the comment by its
// WordPress id, in a fragment the server never sees. The server sends such addresses to the
// article with ?from=wordpress; here the fragment is handed back to the server, which knows
// where that comment is now (its page and its new anchor). Without JavaScript the reader
// lands on the article.
(function () {
  "use strict";
  var url = new URL(window.location.href);
  if (url.searchParams.get("from") !== "wordpress") return;
  var match = /^#comment-(\d+)$/.exec(url.hash);
  if (match) {
    window.location.replace("/?replytocom=" + match[1]);
    return;
  }
  url.searchParams.delete("from");
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
})();
