/* The search tokenizer, twin of src/replyarchive/search/tokenize.py (same steps, same order).
 * Shared cases: tests/fixtures/tokenizer_vectors.json, checked by pytest and node --test.
 * Loads as a plain script (window.RATokenize) or as a CommonJS module (node tests).
 * The traditional→simplified table comes from search/t2s.js (window.RA_T2S), generated at build
 * time from OpenCC's data; call useTable([sources, targets]) to set it explicitly.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(root);
  } else {
    root.RATokenize = factory(root);
  }
})(typeof window !== "undefined" ? window : globalThis, function (root) {
  "use strict";

  var CJK_RANGES = [
    [0x3005, 0x3007], [0x3021, 0x3029], [0x3040, 0x30ff], [0x3400, 0x4dbf],
    [0x4e00, 0x9fff], [0xac00, 0xd7af], [0x20000, 0x3ffff]
  ];
  var SEP = 0, CJK = 1, WORD = 2;
  var WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
  var table = null;

  function useTable(pair) {
    var sources = Array.from(pair[0]), targets = Array.from(pair[1]);
    table = new Map();
    for (var i = 0; i < sources.length; i++) table.set(sources[i], targets[i]);
  }

  function currentTable() {
    if (table === null) {
      if (!root.RA_T2S) throw new Error("search/t2s.js is not loaded (traditional→simplified table)");
      useTable(root.RA_T2S);
    }
    return table;
  }

  function isVariationSelector(cp) {
    return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);
  }

  function fold(text) {
    var t2s = currentTable(), out = "";
    for (var ch of text.normalize("NFKC")) out += t2s.has(ch) ? t2s.get(ch) : ch;
    out = out.toLowerCase();
    var kept = "";
    for (var c of out) if (!isVariationSelector(c.codePointAt(0))) kept += c;
    return kept;
  }

  function charClass(ch) {
    var cp = ch.codePointAt(0);
    for (var i = 0; i < CJK_RANGES.length; i++) {
      if (cp >= CJK_RANGES[i][0] && cp <= CJK_RANGES[i][1]) return CJK;
    }
    if (cp >= 0xe000 && cp <= 0xffff) return SEP;
    return WORD_RE.test(ch) ? WORD : SEP;
  }

  function runTokens(run, kind, tokens) {
    if (kind === WORD || run.length === 1) {
      tokens.push(run.join(""));
      return;
    }
    for (var i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
  }

  function tokenizeFolded(folded) {
    var tokens = [], run = [], kind = SEP;
    for (var ch of folded) {
      var cls = charClass(ch);
      if (cls !== kind) {
        if (kind !== SEP) runTokens(run, kind, tokens);
        run = [];
        kind = cls;
      }
      if (cls !== SEP) run.push(ch);
    }
    if (kind !== SEP) runTokens(run, kind, tokens);
    return tokens;
  }

  function tokenize(text) {
    return tokenizeFolded(fold(text));
  }

  function squash(text) {
    var out = "";
    for (var ch of fold(text)) if (charClass(ch) !== SEP) out += ch;
    return out;
  }

  return {
    useTable: useTable, fold: fold, charClass: charClass,
    tokenizeFolded: tokenizeFolded, tokenize: tokenize, squash: squash
  };
});
