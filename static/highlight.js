/* Highlighting of searched words, shared by the search page (snippets) and the letter page.
 * On a letter page opened from a search result (the words handed over in sessionStorage by the
 * search page, or ?hl=词&hl=词 in a shared link) it marks every occurrence of the words in the
 * letter, folded like the index (traditional = simplified, full-width = half-width), then brings
 * the linked section back into view.
 * Needs static/tokenize.js and search/t2s.js; loads them itself when there are words to mark.
 */
(function (root) {
  "use strict";
  var script = document.currentScript;

  /* text folded character by character, with the source offset of every folded code unit. */
  function foldWithMap(text, tok) {
    var folded = "", source = [], i = 0;
    for (var ch of text) {
      var f = tok.fold(ch);
      for (var k = 0; k < f.length; k++) source.push(i);
      folded += f;
      i += ch.length;
    }
    source.push(i);
    return { folded: folded, source: source };
  }

  function occurrences(haystack, needle, out) {
    if (!needle) return false;
    var found = false;
    for (var at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      out.push([at, at + needle.length]);
      found = true;
    }
    return found;
  }

  /* [start, end) ranges of text to mark for words [{text, tokens}]: the whole word where it
   * occurs as typed, else each of its tokens. */
  function ranges(text, words, tok) {
    var map = foldWithMap(text, tok), hits = [];
    words.forEach(function (word) {
      if (!occurrences(map.folded, tok.fold(word.text).trim(), hits)) {
        word.tokens.forEach(function (t) { occurrences(map.folded, t, hits); });
      }
    });
    hits.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    hits.forEach(function (h) {
      var start = map.source[h[0]], end = map.source[h[1]];
      if (end === start) end = map.source[h[1] + 1] || start + 1;
      var last = merged[merged.length - 1];
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    });
    return merged;
  }

  /* Append text to parent as text nodes and <mark> elements (never HTML). */
  function appendMarked(parent, text, marks) {
    var at = 0;
    marks.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.className = "search-hit";
      mark.textContent = text.slice(r[0], r[1]);
      parent.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function markTree(container, words, tok) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var tag = node.parentNode && node.parentNode.nodeName;
        return tag === "SCRIPT" || tag === "STYLE" || tag === "MARK"
          ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var first = null;
    nodes.forEach(function (node) {
      var found = ranges(node.nodeValue, words, tok);
      if (!found.length) return;
      var frag = document.createDocumentFragment();
      appendMarked(frag, node.nodeValue, found);
      first = first || frag.querySelector("mark");
      node.parentNode.replaceChild(frag, node);
    });
    return first;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(el);
    });
  }

  /* The id a fragment names; as written when it is not valid percent-encoding. */
  function fragmentId(hash) {
    try { return decodeURIComponent(hash.slice(1)); } catch (error) { return hash.slice(1); }
  }

  function highlightLetterPage(words) {
    var siteRoot = script ? new URL("..", script.src).href : "../../";
    var ready = root.RA_T2S ? Promise.resolve() : loadScript(siteRoot + "search/t2s.js");
    ready.then(function () {
      return root.RATokenize ? null : loadScript(siteRoot + "static/tokenize.js");
    }).then(function () {
      var tok = root.RATokenize;
      var items = words.map(function (w) { return { text: w, tokens: tok.queryTokens(w) }; })
        .filter(function (w) { return w.tokens.length; });
      var container = document.querySelector(".letter-body") || document.querySelector("main");
      if (!items.length || !container) return;
      var first = markTree(container, items, tok);
      /* The facts panel (文号, numbers, names, phones) is a search result too. */
      var facts = document.getElementById("facts");
      var inFacts = facts && !container.contains(facts) ? markTree(facts, items, tok) : null;
      first = first || inFacts;
      var target = location.hash ? document.getElementById(fragmentId(location.hash)) : null;
      if (target) target.scrollIntoView();
      else if (first) first.scrollIntoView({ block: "center" });
    }).catch(function () { /* highlighting is a nicety: the page reads fine without it */ });
  }

  var HANDOVER = "replyarchive:highlight";

  /* A page's address without its query, fragment and trailing index.html, for comparing. */
  function pageKey(url) {
    var u = new URL(url, location.href);
    return u.protocol + "//" + u.host + u.pathname.replace(/index\.html$/, "");
  }

  /* Called by the search page as a result is opened: the words go to that page only, once. */
  function handOver(url, words) {
    try {
      sessionStorage.setItem(HANDOVER, JSON.stringify({ page: pageKey(url), words: words }));
    } catch (e) { /* storage off: the letter opens without highlighting */ }
  }

  /* Words handed over for this page by a search result, taken so a reload shows it plain. */
  function takeHandedOver() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(HANDOVER) || "null");
      if (!saved || saved.page !== pageKey(location.href)) return [];
      sessionStorage.removeItem(HANDOVER);
      return Array.isArray(saved.words) ? saved.words.map(String) : [];
    } catch (e) { return []; }
  }

  root.RAHighlight = {
    ranges: ranges, appendMarked: appendMarked, markTree: markTree, handOver: handOver
  };

  if (!document.querySelector("[data-search-app]")) {
    /* ?hl=词 in a shared link, or the words a search result handed over. */
    var words = new URLSearchParams(location.search).getAll("hl");
    if (!words.length) words = takeHandedOver();
    words = words.filter(function (w) { return w.trim(); });
    if (words.length) highlightLetterPage(words);
  }
})(window);
