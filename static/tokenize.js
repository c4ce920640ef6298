/* The search tokenizer, twin of src/replyarchive/index/tokenize.py (same steps, same order).
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
  var SEP = 0, CJK = 1, WORD = 2, DIGITS = "0123456789";
  /* As tokenize.ORDINAL_PREFIXES: joined to the number after them (第48). */
  var ORDINAL_PREFIXES = "第";
  var WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;
  var table = null;

  function useTable(pair) {
    var sources = Array.from(pair[0]), targets = Array.from(pair[1]);
    table = new Map();
    for (var i = 0; i < sources.length; i++) table.set(sources[i], targets[i]);
  }

  /* Whether a table is set or search/t2s.js is loaded. */
  function hasTable() {
    return table !== null || Boolean(root.RA_T2S);
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

  function isDecimalPoint(chars, i) {
    return DIGITS.indexOf(chars[i - 1]) >= 0 && i + 1 < chars.length && DIGITS.indexOf(chars[i + 1]) >= 0;
  }

  /* [start, end, kind] of each CJK or word run, in code points; a "." between two ASCII digits
   * stays in its word run (4.5 is one word). */
  function runsOf(chars) {
    var runs = [], start = 0, kind = SEP;
    for (var i = 0; i < chars.length; i++) {
      var cls = charClass(chars[i]);
      if (cls === SEP && chars[i] === "." && kind === WORD && isDecimalPoint(chars, i)) continue;
      if (cls !== kind) {
        if (kind !== SEP) runs.push([start, i, kind]);
        start = i;
        kind = cls;
      }
    }
    if (kind !== SEP) runs.push([start, chars.length, kind]);
    return runs;
  }

  /* Bigrams; a lone character is a unigram, except in a query where a junction holds it. */
  function cjkTokens(run, joined, query, tokens) {
    if (run.length === 1) {
      if (!(joined && query)) tokens.push(run[0]);
      return;
    }
    for (var i = 0; i + 1 < run.length; i++) tokens.push(run[i] + run[i + 1]);
  }

  function tokenizeFolded(folded, query) {
    var chars = Array.from(folded), runs = runsOf(chars), tokens = [];
    runs.forEach(function (r, n) {
      var before = n > 0 && runs[n - 1][1] === r[0];
      var after = n + 1 < runs.length && runs[n + 1][0] === r[1];
      var run = chars.slice(r[0], r[1]);
      if (r[2] === CJK) {
        cjkTokens(run, before || after, Boolean(query), tokens);
        return;
      }
      var word = run.join("");
      if (before && ORDINAL_PREFIXES.indexOf(chars[r[0] - 1]) >= 0) tokens.push(chars[r[0] - 1] + word);
      tokens.push(word);
      if (after) tokens.push(word + chars[r[1]]);
    });
    return tokens;
  }

  function tokenize(text) {
    return tokenizeFolded(fold(text), false);
  }

  /* A query word's tokens, as query.query_tokens: a lone CJK character beside a word is left to
   * its junction (第48号 → 第48, 48, 48号). */
  function queryTokens(text) {
    return tokenizeFolded(fold(text), true);
  }

  function squash(text) {
    var out = "";
    for (var ch of fold(text)) if (charClass(ch) !== SEP) out += ch;
    return out;
  }

  return {
    useTable: useTable, hasTable: hasTable, fold: fold, charClass: charClass,
    tokenizeFolded: tokenizeFolded, tokenize: tokenize, queryTokens: queryTokens, squash: squash
  };
});
