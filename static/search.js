/* The search engine, twin of src/replyarchive/index/query.py (same steps, same order, so a
 * test can require identical results for every shared query). No DOM here: the page is
 * search-page.js. Loads as a plain script (window.RASearch) or a CommonJS module (node tests).
 *
 * createEngine(catalog, loader): loader.shard(key) and loader.chunk(n) return promises of the
 * data files written by the index stage (search/shards/<key>.js: a term shard's packed
 * postings; search/letters/<n>.js: the text of the letters of chunk n), each a string of
 * zlib-compressed text, 6 bytes in 7 characters (index/packed.py, index/codec.py), inflated
 * here and read into typed arrays (postingTable), scored as lunr 2.3.9 scores the index
 * lunrIndex makes of them (twin of packed.lunr_index, which lunr.py queries in the Python twin).
 *
 * Hits name a letter by its slot (packed.py), "00k3#s2-3" or "00k3#facts"; result(ref) gives
 * its id with the rest of its data. With loader.ids(n) (search/ids/<n>.js: slot → id) and
 * loader.letter(id) (a promise of the letter's data read from its own page, or null), a result
 * comes from its letter's page, a tenth of its chunk's bytes; from its chunk if the page fails
 * or the chunk is loaded already (a phrase check loads chunks: many letters each).
 *
 * Stored scores are BM25 without idf; the idf of each term (from the documents in its posting
 * and the catalog's document counts) is the query clause's boost.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./tokenize.js"));
  } else {
    root.RASearch = factory(root.RATokenize);
  }
})(typeof window !== "undefined" ? window : globalThis, function (tok) {
  "use strict";

  var QUOTES = "\"“”「」『』";
  var SPACES = " \t\n\r\f\v";
  var CJK = 1, WORD = 2;
  var FACTS_ID = "facts"; /* documents.FACTS_ID: the letter page's facts panel */

  function findAny(text, chars, start) {
    for (var j = start; j < text.length; j++) if (chars.indexOf(text[j]) >= 0) return j;
    return text.length;
  }

  function makeItem(text, phrase, negated) {
    return { text: text, tokens: tok.queryTokens(text), phrase: phrase, negated: negated };
  }

  /* Words, "phrases" and -exclusions; items without tokens are dropped. */
  function parseQuery(raw) {
    var text = raw.normalize("NFKC"), items = [], i = 0, n = text.length;
    while (i < n) {
      if (SPACES.indexOf(text[i]) >= 0) { i++; continue; }
      var negated = text[i] === "-" && i + 1 < n && SPACES.indexOf(text[i + 1]) < 0;
      if (negated) i++;
      var end;
      if (QUOTES.indexOf(text[i]) >= 0) {
        end = findAny(text, QUOTES, i + 1);
        items.push(makeItem(text.slice(i + 1, end), true, negated));
        i = end + 1;
      } else {
        end = findAny(text, SPACES + QUOTES, i);
        items.push(makeItem(text.slice(i, end), false, negated));
        i = end;
      }
    }
    return joinLoneCharacters(items.filter(function (item) { return item.tokens.length > 0; }));
  }

  function loneCjk(text) {
    return Array.from(text).length === 1 && tok.charClass(text) === CJK;
  }

  function joins(left, right) {
    if (left.phrase || right.phrase || left.negated || right.negated) return false;
    var last = Array.from(left.text).pop(), first = Array.from(right.text)[0];
    return (loneCjk(left.text) && tok.charClass(first) === WORD) ||
      (loneCjk(right.text) && tok.charClass(last) === WORD);
  }

  /* 第 48 号 → 第48号, as query._join_lone_characters: a one-character CJK word typed beside a
   * number or a Latin word is read as the letters print it, found through its junction token. */
  function joinLoneCharacters(items) {
    var out = [];
    items.forEach(function (item) {
      if (out.length && joins(out[out.length - 1], item)) {
        item = makeItem(out.pop().text + item.text, false, false);
      }
      out.push(item);
    });
    return out;
  }

  function fnv1a(term) {
    var h = 0x811c9dc5;
    for (var ch of term) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* lunr's idf, to 6 decimals (as query.idf), floor(x + 0.5) as Python's twin. */
  function idf(df, documents) {
    var x = (documents - df + 0.5) / (df + 0.5);
    return Math.max(1e-6, Math.floor(Math.log(1 + Math.abs(x)) * 1e6 + 0.5) / 1e6);
  }

  /* As query.idf_scale: a term in one letter's facts weighs what a term in one part weighs. */
  function idfScale(documents) {
    return idf(1, documents.text) / idf(1, documents.meta);
  }

  /* An exact phrase is checked in the hits' letters' pages when they are at most this many
   * (about 12 KB each at 10,000 letters), else in their chunks (about 40 letters each). */
  var PHRASE_PAGES = 10;
  var SLOT_WIDTH = 4, SCORE_WIDTH = 2, SCORE_SCALE = 100, SLOTS = 1 << 20; /* packed.py */
  var TEXT_NAMES = ["title", "body"];
  var META_NAMES = ["title", "proposal_title", "doc_number", "proposal_number", "proposers",
    "contacts", "department", "session"];

  /* The bytes of a data file's string (twin of index/codec.py): each 7 characters are 7
   * base-123 digits (ASCII but NUL, LF, CR, " and \\) of 6 bytes read as one number,
   * exact in a double; a last run of r + 1 digits holds r bytes. */
  var DIGIT = new Int16Array(128).fill(-1);
  (function () {
    for (var c = 1, d = 0; c < 128; c++) if ("\n\r\"\\".indexOf(String.fromCharCode(c)) < 0) DIGIT[c] = d++;
  })();
  function decode123(text) {
    var n = text.length, rows = Math.floor(n / 7), rest = n % 7;
    var out = new Uint8Array(rows * 6 + (rest ? rest - 1 : 0)), at = 0, i = 0, k, v, hi, lo;
    for (var r = 0; r < rows; r++) {
      v = 0;
      for (k = 0; k < 7; k++) v = v * 123 + DIGIT[text.charCodeAt(i++)];
      hi = Math.floor(v / 16777216); lo = v - hi * 16777216;
      out[at++] = hi >> 16; out[at++] = hi >> 8; out[at++] = hi;
      out[at++] = lo >> 16; out[at++] = lo >> 8; out[at++] = lo;
    }
    if (rest > 1) {
      v = 0;
      for (k = 0; k < rest; k++) v = v * 123 + DIGIT[text.charCodeAt(i++)];
      for (k = rest - 2; k >= 0; k--) { out[at + k] = v % 256; v = Math.floor(v / 256); }
    }
    return out;
  }

  /* The text of a data file: zlib-compressed UTF-8, 6 bytes in 7 characters (packed.pack). */
  function inflate(data) {
    if (!data) return Promise.resolve("");
    var stream = new Blob([decode123(data)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }

  /* The part id a posting writes short (twin of packed.part_id): "" (the facts), "_<id>",
   * a capital (the preamble, the closing), else a base-36 digit per number of s1-2-3. */
  var PART_IDS = new Map([["P", "preamble"], ["C", "closing"]]);
  function partOf(code) {
    if (!code || code.charAt(0) === "_") return code.slice(1);
    if (PART_IDS.has(code)) return PART_IDS.get(code);
    var numbers = [];
    for (var i = 0; i < code.length; i++) numbers.push(parseInt(code.charAt(i), 36));
    return "s" + numbers.join("-");
  }

  /* The ref of an entry: "<slot>" or "<slot>#<part id>", part codes read once per file. */
  function refMaker() {
    var parts = new Map();
    return function (slot, code) {
      if (!code) return slot;
      var part = parts.get(code);
      if (part === undefined) parts.set(code, part = partOf(code));
      return slot + "#" + part;
    };
  }

  /* An entry's field and score in hundredths (twin of packed.read_entry), into head: in a
   * part's line ("t") one number, a title's from TITLE_FROM; in the facts' the field's digit
   * first. Returns where the part code starts. */
  var TITLE_FROM = 221;
  function readHead(text, one, head) {
    if (text) {
      var code = parseInt(one.slice(0, SCORE_WIDTH), 36);
      head[0] = code >= TITLE_FROM ? 0 : 1;
      head[1] = code >= TITLE_FROM ? code - TITLE_FROM : code;
      return SCORE_WIDTH;
    }
    head[0] = Number(one[0]);
    head[1] = parseInt(one.slice(1, 1 + SCORE_WIDTH), 36);
    return 1 + SCORE_WIDTH;
  }

  /* One kind's lines as a serialized lunr index, or null (twin of packed.lunr_index). */
  function lunrIndex(lines, kind, fields) {
    var prefix = kind + " ", inverted = [], vectors = new Map(), refOf = refMaker();
    var text = kind === "t", head = [0, 0];
    lines.forEach(function (line) {
      if (line.slice(0, prefix.length) !== prefix) return;
      var tab = line.indexOf("\t"), index = inverted.length;
      var postings = fields.map(function () { return {}; });
      line.slice(tab + 1).split(" ").forEach(function (group) {
        var slot = group.slice(0, SLOT_WIDTH);
        group.slice(SLOT_WIDTH).split(",").forEach(function (one) {
          var cut = readHead(text, one, head), field = head[0], score = head[1] / SCORE_SCALE;
          var ref = refOf(slot, one.slice(cut));
          postings[field][ref] = {};
          var fieldRef = fields[field] + "/" + ref;
          if (!vectors.has(fieldRef)) vectors.set(fieldRef, []);
          vectors.get(fieldRef).push(index, score);
        });
      });
      var posting = { _index: index };
      fields.forEach(function (name, i) { posting[name] = postings[i]; });
      inverted.push([line.slice(prefix.length, tab), posting]);
    });
    if (!inverted.length) return null;
    return {
      version: "2.3.9", fields: fields.slice(), pipeline: [], invertedIndex: inverted,
      fieldVectors: Array.from(vectors.entries())
    };
  }

  /* One kind's lines as typed arrays, for scoring without lunr (scoreTable): refs, and per
   * term its index among the kind's lines (lunr's term index), its entries (document, field,
   * score) and df. lunr's per-posting match data would cost most of a second for a hot
   * term. */
  function postingTable(lines, kind) {
    var prefix = kind + " ", refs = [], ids = new Map(), terms = new Map(), index = 0;
    var refOf = refMaker(), text = kind === "t", head = [0, 0];
    lines.forEach(function (line) {
      if (line.slice(0, prefix.length) !== prefix) return;
      var tab = line.indexOf("\t"), docs = [], fields = [], scores = [], seen = new Set();
      line.slice(tab + 1).split(" ").forEach(function (group) {
        var slot = group.slice(0, SLOT_WIDTH);
        group.slice(SLOT_WIDTH).split(",").forEach(function (one) {
          var ref = refOf(slot, one.slice(readHead(text, one, head)));
          var id = ids.get(ref);
          if (id === undefined) { id = refs.length; ids.set(ref, id); refs.push(ref); }
          seen.add(id);
          docs.push(id);
          fields.push(head[0]);
          scores.push(head[1] / SCORE_SCALE);
        });
      });
      terms.set(line.slice(prefix.length, tab), {
        index: index++, docs: Int32Array.from(docs), fields: Uint8Array.from(fields),
        scores: Float64Array.from(scores), df: seen.size
      });
    });
    return index ? { refs: refs, ids: ids, terms: terms } : null;
  }

  /* Scores of one file's table for q.terms (clause order) and q.boosts, as lunr 2.3.9's
   * Index.query gives them, to the last bit: per field, the dot product of the query vector
   * (every term's boost, in every field) with the field's vector, in term-index order, over
   * the query vector's length; a document's fields added in the order lunr meets them (by
   * the first term holding the field, then field order); only documents holding every
   * q.required term, and only those marked in q.only (a Uint8Array by document), if given.
   * Gives {count, docs, scores, masks}: the first count of docs (the table's numbers) and
   * scores, and the terms each document d matched as bits q.bits[clause] of masks[d * W],
   * masks[d * W + 1]… (q.words = W words of 32 bits). No object per document (a hot term
   * has 10^5 postings), no callback (a new one each query would undo the compiled loops);
   * q.take, if given, hands out its zeroed arrays, read them before the next query (see
   * scratch). */
  function scoreTable(table, q) {
    var present = [], squares = 0, F = q.fields, W = q.words, required = q.required, i;
    for (i = 0; i < q.terms.length; i++) {
      var entry = table.terms.get(q.terms[i]);
      if (entry) present.push({ term: q.terms[i], clause: i, bit: q.bits[i], boost: q.boosts[i], entry: entry });
    }
    var needed = q.terms.filter(required).length, n = table.refs.length, take = q.take || fresh;
    var out = { count: 0, docs: take("out-docs", Int32Array, n), scores: take("out-scores", Float64Array, n),
      masks: take("masks", Uint32Array, n * W) };
    if (q.terms.some(function (t) { return required(t) && !table.terms.has(t); })) return out;
    var byIndex = present.slice().sort(function (a, b) { return a.entry.index - b.entry.index; });
    for (i = 0; i < byIndex.length; i++) squares += byIndex[i].boost * byIndex[i].boost;
    var magnitude = Math.sqrt(squares);
    var dots = take("dots", Float64Array, n * F), first = take("first", Int32Array, n * F);
    var held = take("held", Int32Array, n), seen = take("seen", Uint8Array, n);
    var touched = take("touched", Int32Array, n), reached = 0;
    for (i = 0; i < byIndex.length; i++) {
      var p = byIndex[i], length = p.entry.docs.length;
      for (var from = 0; from < length; from += BLOCK) {
        reached = addPostings(p.entry, from, Math.min(length, from + BLOCK), p.boost, p.clause + 1, p.bit,
          required(p.term), q.only, F, W, dots, first, held, seen, out.masks, touched, reached);
      }
    }
    var fieldOrder = new Int32Array(F), count = 0;
    for (var t = 0; t < reached; t += BLOCK) {
      count = scoreDocs(touched, t, Math.min(reached, t + BLOCK), needed, held, first, dots, magnitude, F,
        fieldOrder, out.docs, out.scores, count);
    }
    out.count = count;
    return out;
  }

  /* The loops over every posting or document run a block at a time, each block a call: so the
   * function is called often enough to be compiled (a query's one call of a loop over 10^5
   * would be compiled only within that call, and again in the next query). */
  var BLOCK = 2048;

  /* scoreTable's scores of touched[from…to) holding the needed terms, into docs and scores
   * from count on: the new count. */
  function scoreDocs(touched, from, to, needed, held, first, dots, magnitude, F, fieldOrder, docs,
    scores, count) {
    for (var t = from; t < to; t++) {
      var d = touched[t], base = d * F, fields = 0;
      if (held[d] < needed) continue;
      for (var f = 0; f < F; f++) {
        if (!first[base + f]) continue;
        var j = fields++;
        while (j > 0 && first[base + fieldOrder[j - 1]] > first[base + f]) { fieldOrder[j] = fieldOrder[j - 1]; j--; }
        fieldOrder[j] = f;
      }
      var score = dots[base + fieldOrder[0]] / magnitude || 0;
      for (var k = 1; k < fields; k++) score += dots[base + fieldOrder[k]] / magnitude || 0;
      docs[count] = d;
      scores[count++] = score;
    }
    return count;
  }

  /* One term's postings from…to into scoreTable's arrays; the new number of documents
   * reached. */
  function addPostings(e, from, to, boost, clause, bitAt, need, only, F, W, dots, first, held, seen,
    masks, touched, reached) {
    var docs = e.docs, fields = e.fields, scores = e.scores, word = bitAt >> 5, bit = 1 << (bitAt & 31);
    for (var i = from; i < to; i++) {
      var d = docs[i];
      if (only !== null && !only[d]) continue;
      var at = d * F + fields[i], m = d * W + word;
      if (first[at] === 0 || clause < first[at]) first[at] = clause;
      dots[at] += boost * scores[i];
      if (!(masks[m] & bit)) {
        if (!seen[d]) { seen[d] = 1; touched[reached++] = d; }
        masks[m] |= bit;
        if (need) held[d]++;
      }
    }
    return reached;
  }

  /* ready(texts): a promise, resolved once folding texts is right. The traditional→simplified
   * table (search/t2s.js, 19 KB) is loaded by load() only when a text holds a character it
   * maps, as keys (the catalog's t2s, payloads.py) tell; until then folding uses an empty
   * table, which is the same for such texts. Without keys or load, the table must be set. */
  function tableLoader(keys, load) {
    if (!load || tok.hasTable()) return function () { return Promise.resolve(); };
    var bits = null, loading = null;
    tok.useTable(["", ""]);

    function maps(text) {
      if (!keys) return true;
      if (bits === null) bits = Uint8Array.from(atob(keys.bits), function (c) { return c.charCodeAt(0); });
      for (var ch of text.normalize("NFKC")) {
        var at = ch.codePointAt(0) - keys.start;
        if (at >= 0x10000 - keys.start) { if (keys.astral) return true; } else if (at >= 0 && bits[at >> 3] & (1 << (at & 7))) return true;
      }
      return false;
    }

    return function (texts) {
      if (loading === null && texts.some(function (t) { return t && maps(t); })) {
        loading = load().then(function (pair) { tok.useTable(pair); });
      }
      return loading || Promise.resolve();
    };
  }

  function uniqueSorted(tokens) {
    return Array.from(new Set(tokens)).sort();
  }

  function fresh(name, Type, n) { return new Type(n); }

  /* take(name, Type, n): n zeroed elements of Type, the same memory for the same name from
   * one query to the next. A hot term's query needs megabytes of arrays: new ones each time
   * make the garbage collector run during the next query. */
  function scratch() {
    var held = new Map();
    return function (name, Type, n) {
      var have = held.get(name);
      if (have === undefined || have.length < n) {
        have = new Type(Math.max(n, have === undefined ? 0 : Math.floor(have.length * 1.5)));
        held.set(name, have);
        return have.subarray(0, n);
      }
      var view = have.subarray(0, n);
      view.fill(0);
      return view;
    };
  }

  /* The documents of every file loaded so far, numbered once across files (parts
   * "<slot>#<part>", letters "<slot>", facts "<slot>#facts"), so that scores, matched terms
   * and letters are typed arrays indexed by number, not an object per hit. letters()[n] is
   * the number of document n's letter. */
  function docSpace() {
    var ids = new Map(), refs = [], letter = new Int32Array(1024), factsOf = new Map();
    var lastSlot = "", lastLetter = -1; /* a file's refs come a letter at a time */

    function id(ref) {
      var n = ids.get(ref);
      if (n !== undefined) return n;
      n = refs.length;
      ids.set(ref, n);
      refs.push(ref);
      var cut = ref.indexOf("#"), own = n;
      if (cut >= 0) {
        if (lastLetter < 0 || cut !== lastSlot.length || !ref.startsWith(lastSlot)) {
          lastSlot = ref.slice(0, cut);
          lastLetter = id(lastSlot);
        }
        own = lastLetter;
      }
      if (n >= letter.length) {
        var grown = new Int32Array(letter.length * 2);
        grown.set(letter);
        letter = grown;
      }
      letter[n] = own;
      return n;
    }

    /* The number of the facts of the letter numbered n. */
    function facts(n) {
      var f = factsOf.get(n);
      if (f === undefined) factsOf.set(n, f = id(refs[n] + "#" + FACTS_ID));
      return f;
    }

    return { id: id, refs: refs, facts: facts, size: function () { return refs.length; },
      letters: function () { return letter; } };
  }

  /* What one collect adds up, by document number: score, matched terms (bits of words
   * words each), and how many of the files with a required term held it (see add). */
  function accumulator(size, words, take, name) {
    return { size: size, words: words, score: take(name + "score", Float64Array, size),
      masks: take(name + "masks", Uint32Array, size * words), seen: take(name + "seen", Uint8Array, size),
      passes: take(name + "passes", Uint16Array, size), order: [], need: 0, requiring: false };
  }

  /* A document's score from one file, and the terms it matched there. Every result of a
   * file with a required term holds that term; acc.need counts such files so far, and a
   * document missing from one of them (passes < need) can be no hit (its term is in no
   * letter's facts either): left behind. A file's documents are distinct. */
  function add(acc, g, score, masks, at) {
    var W = acc.words, to = g * W, w;
    if (!acc.seen[g]) {
      if (acc.need) return;
      acc.seen[g] = 1;
      acc.order.push(g);
      acc.score[g] = score;
      for (w = 0; w < W; w++) acc.masks[to + w] = masks[at + w];
    } else {
      if (acc.passes[g] < acc.need) return;
      for (w = 0; w < W; w++) acc.masks[to + w] |= masks[at + w];
      acc.score[g] += score;
    }
    if (acc.requiring) acc.passes[g]++;
  }

  /* add of scoreTable's documents from…to (out), numbered in the space by global. */
  function addAll(acc, global, out, factor, from, to) {
    var W = acc.words;
    for (var i = from; i < to; i++) {
      var d = out.docs[i];
      add(acc, global[d], out.scores[i] * factor, out.masks, d * W);
    }
  }

  /* only[d] for d in from…to: whether candidates kept the document (see candidates). */
  function markKept(only, global, marks, count, from, to) {
    for (var d = from; d < to; d++) only[d] = marks[global[d]] === count ? 1 : 0;
  }

  /* candidates' marks: a document of docs[from…to) (numbered by global) marked k is marked
   * k + 1. */
  function markHeld(marks, docs, global, k, from, to) {
    for (var i = from; i < to; i++) {
      var g = global[docs[i]];
      if (marks[g] === k) marks[g] = k + 1;
    }
  }

  function live(acc, g) {
    return acc.seen[g] === 1 && acc.passes[g] === acc.need;
  }

  /* The bits of terms (a word's tokens) among all (a collect's sorted terms), as W words. */
  function maskOf(terms, all, W) {
    var mask = new Uint32Array(W);
    terms.forEach(function (t) {
      var i = all.indexOf(t);
      if (i >= 0) mask[i >> 5] |= 1 << (i & 31);
    });
    return mask;
  }

  /* Whether masks[at…] holds every bit of mask, or with more (masks[more…]) if given. */
  function holds(mask, masks, at, more, moreAt) {
    for (var w = 0; w < mask.length; w++) {
      var have = masks[at + w] | (more !== null ? more[moreAt + w] : 0);
      if (((have & mask[w]) >>> 0) !== mask[w]) return false; /* unsigned: bit 31 is a term too */
    }
    return true;
  }

  /* Each word (masks) wholly in the part (its matched terms at own[ownAt…]) or wholly in its
   * letter's metadata (meta[metaAt…]); one in the part. */
  function partMatches(masks, own, ownAt, meta, metaAt) {
    var any = false;
    for (var k = 0; k < masks.length; k++) {
      if (holds(masks[k], own, ownAt, null, 0)) any = true;
      else if (!holds(masks[k], meta, metaAt, null, 0)) return false;
    }
    return any;
  }

  /* partMatches when a word of bits is enough (32 terms or fewer): own and meta the bits. */
  function partMatches1(masks, own, meta) {
    var any = false;
    for (var k = 0; k < masks.length; k++) {
      var mask = masks[k][0];
      if (((own & mask) >>> 0) === mask) any = true;
      else if (((meta & mask) >>> 0) !== mask) return false;
    }
    return any;
  }

  /* combine's hits among the parts order[from…to), into doc and score from n on: the new n. */
  function partHits(order, from, to, masks, W, letters, letterAcc, docAcc, ex, doc, score, n) {
    for (var i = from; i < to; i++) {
      var d = order[i];
      if (docAcc.passes[d] !== docAcc.need) continue;
      var letter = letters[d];
      if (W === 1 ? partMatches1(masks, docAcc.masks[d], letterAcc.masks[letter])
        : partMatches(masks, docAcc.masks, d * W, letterAcc.masks, letter * W)) {
        if (ex !== null && excluded(ex, d, letter)) continue;
        doc[n] = d;
        score[n++] = docAcc.score[d] + letterAcc.score[letter];
      }
    }
    return n;
  }

  /* Whether the part numbered d (or a letter's facts, d its letter's number), of the letter
   * numbered letter, holds one of the excluded words (ex: the engine's exclusions), in
   * itself or in its letter's facts. */
  function excluded(ex, d, letter) {
    if (ex === null) return false;
    var docs = ex.docs, metas = ex.metas;
    for (var k = 0; k < ex.masks.length; k++) {
      var own = d < docs.size ? docs.masks : null, meta = letter < metas.size ? metas.masks : null;
      if (own === null && meta === null) continue;
      if (own === null ? holds(ex.masks[k], meta, letter * metas.words, null, 0)
        : holds(ex.masks[k], own, d * docs.words, meta, letter * metas.words)) return true;
    }
    return false;
  }

  function createEngine(catalog, loader) {
    var hotSet = new Set(catalog.hot);
    var shards = new Map(), chunks = new Map(), space = docSpace(), take = scratch();
    var pages = new Map(), idFiles = new Map();
    var folding = tableLoader(catalog.t2s, loader.table);

    function fileOf(term) {
      return hotSet.has(term) ? "h" + fnv1a(term).toString(16) : String(fnv1a(term) % catalog.shards);
    }

    function lookedUp(item) {
      var rare = item.tokens.filter(function (t) { return !hotSet.has(t); });
      return rare.length ? rare : item.tokens.slice();
    }

    /* Every file is scored from its typed arrays (scoreTable), its documents numbered in
     * the engine's space once, as it loads. */
    function loadKind(lines, kind, fields) {
      var table = postingTable(lines, kind);
      if (!table) return null;
      var global = table.global = new Int32Array(table.refs.length);
      for (var d = 0; d < global.length; d++) global[d] = space.id(table.refs[d]);
      table.ids = null; /* the space's numbers serve */
      return { table: table, fields: fields };
    }

    function shard(key) {
      if (!shards.has(key)) {
        shards.set(key, loader.shard(key).then(inflate).then(function (text) {
          var lines = text ? text.split("\n") : [];
          return { text: loadKind(lines, "t", TEXT_NAMES), meta: loadKind(lines, "m", META_NAMES) };
        }));
      }
      return shards.get(key);
    }

    /* What a result shows: {letter (its metadata fields joined as .meta, its id as .id), part
     * row or null}. Refs name a letter by its slot ("00k3#s2-3"); its page or its chunk holds
     * the rest. */
    function result(ref) {
      var cut = ref.indexOf("#"), slot = cut < 0 ? ref : ref.slice(0, cut);
      var partId = cut < 0 ? null : ref.slice(cut + 1);
      return letterData(slot).then(function (data) {
        var letter = Object.assign({}, data.letter, { meta: data.letter.meta.join("\n") });
        var row = data.parts.filter(function (r) { return r[0] === partId; })[0] || null;
        return { letter: letter, part: row };
      });
    }

    function fileNumber(slot, files) {
      return Math.floor(parseInt(slot, 36) * files / SLOTS);
    }

    /* A letter's data as its chunk holds it: {letter, partColumns, parts}. */
    function fromChunk(slot) {
      var chunk = fileNumber(slot, catalog.chunks);
      if (!chunks.has(chunk)) {
        chunks.set(chunk, loader.chunk(chunk).then(inflate).then(JSON.parse));
      }
      return chunks.get(chunk).then(function (all) { return all[slot]; });
    }

    function letterData(slot) {
      if (!loader.letter || !catalog.ids || chunks.has(fileNumber(slot, catalog.chunks))) {
        return fromChunk(slot);
      }
      if (!pages.has(slot)) {
        pages.set(slot, idOf(slot).then(function (id) { return id ? loader.letter(id) : null; })
          .catch(function () { return null; }));
      }
      return pages.get(slot).then(function (data) { return data || fromChunk(slot); });
    }

    /* The letter id of a slot, from its id file ("<slot> <id>" a line). */
    function idOf(slot) {
      var n = fileNumber(slot, catalog.ids);
      if (!idFiles.has(n)) {
        idFiles.set(n, loader.ids(n).then(inflate).then(function (text) {
          var map = new Map();
          text.split("\n").forEach(function (line) {
            var cut = line.indexOf(" ");
            if (cut > 0) map.set(line.slice(0, cut), line.slice(cut + 1));
          });
          return map;
        }));
      }
      return idFiles.get(n).then(function (map) { return map.get(slot); });
    }

    function byFile(terms) {
      var groups = new Map();
      terms.forEach(function (term) {
        var key = fileOf(term);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(term);
      });
      return groups;
    }

    /* Score one file's terms, each boosted by its idf, into acc. lunr divides by the query
     * vector's length (the boosts' norm): multiplied back, so that scores add up across
     * files. bits: each term's bit in acc; keep: see candidates. */
    function run(index, terms, required, acc, documents, scale, bits, keep) {
      var table = index.table, squares = 0;
      var boosts = terms.map(function (term) {
        var entry = table.terms.get(term);
        if (!entry) return 1;
        var boost = idf(entry.df, documents) * scale;
        squares += boost * boost;
        return boost;
      });
      var factor = Math.sqrt(squares), global = table.global, only = null;
      var from;
      if (keep !== null) {
        only = take("only", Uint8Array, global.length);
        for (from = 0; from < global.length; from += BLOCK) {
          markKept(only, global, keep.marks, keep.count, from, Math.min(global.length, from + BLOCK));
        }
      }
      var q = { terms: terms, boosts: boosts, required: required, fields: index.fields.length,
        only: only, bits: terms.map(function (t) { return bits.get(t); }), words: acc.words, take: take };
      var out = scoreTable(table, q);
      for (from = 0; from < out.count; from += BLOCK) {
        addAll(acc, global, out, factor, from, Math.min(out.count, from + BLOCK));
      }
    }

    /* The documents holding every required term, or null: only they can be hits, so the
     * others are not scored (tens of thousands for a few hot terms). Marks by document
     * number, rarest term first: marks[n] === count for the kept. Only an optimisation: add
     * would leave them behind anyway. */
    function candidates(loaded, groups, which, required) {
      var found = [];
      groups.forEach(function (terms, key) {
        var index = loaded.get(key)[which];
        if (!index) return;
        terms.filter(required).forEach(function (term) {
          var entry = index.table.terms.get(term);
          if (entry) found.push({ global: index.table.global, entry: entry });
        });
      });
      if (!found.length) return null;
      found.sort(function (a, b) { return a.entry.df - b.entry.df; });
      var marks = take("marks", Uint16Array, space.size());
      found.forEach(function (one, k) {
        var docs = one.entry.docs;
        for (var from = 0; from < docs.length; from += BLOCK) {
          markHeld(marks, docs, one.global, k, from, Math.min(docs.length, from + BLOCK));
        }
      });
      return { marks: marks, count: found.length };
    }

    /* terms (sorted) over one kind of documents: an accumulator, its terms' bits by term. */
    function collect(loaded, terms, which, required, name) {
      var groups = byFile(terms), bits = new Map();
      terms.forEach(function (t, i) { bits.set(t, i); });
      var acc = accumulator(space.size(), (terms.length + 31) >> 5, take, name);
      var keep = candidates(loaded, groups, which, required);
      var scale = which === "meta" ? idfScale(catalog.documents) : 1;
      Array.from(groups.keys()).sort().forEach(function (key) {
        var index = loaded.get(key)[which];
        acc.requiring = groups.get(key).some(required);
        if (index) run(index, groups.get(key), required, acc, catalog.documents[which], scale, bits, keep);
        if (acc.requiring) acc.need++; /* without the file's index, no document is left */
      });
      return acc;
    }

    function loadFiles(terms) {
      var keys = Array.from(byFile(terms).keys());
      return Promise.all(keys.map(shard)).then(function (list) {
        var loaded = new Map();
        keys.forEach(function (key, i) { loaded.set(key, list[i]); });
        return loaded;
      });
    }

    /* The excluded words' terms in the parts and in the letters' facts, for excluded: null
     * without any. */
    function exclusions(loaded, negated) {
      if (!negated.length) return null;
      var words = negated.map(lookedUp);
      var terms = uniqueSorted([].concat.apply([], words));
      var docs = collect(loaded, terms, "text", function () { return false; }, "-text");
      var metas = collect(loaded, terms, "meta", function () { return false; }, "-meta");
      return { docs: docs, metas: metas, masks: words.map(function (word) { return maskOf(word, terms, docs.words); }) };
    }

    /* Whether the hit ref holds every phrase; its text from its letter's page (few letters:
     * the pages the results then show) or its chunk (many letters a chunk). */
    function hasPhrases(ref, phrases, viaPages) {
      var cut = ref.indexOf("#"), partId = ref.slice(cut + 1), slot = ref.slice(0, cut);
      return (viaPages ? letterData(slot) : fromChunk(slot)).then(function (data) {
        var part = data.parts.filter(function (r) { return r[0] === partId; })[0];
        var texts = [data.letter.meta.join("\n")];
        if (part) texts.push(part[2] + "\n" + part[5]);
        return folding(texts).then(function () { return texts; });
      }).then(function (texts) {
        var squashed = texts.map(tok.squash);
        return phrases.every(function (p) {
          return squashed.some(function (s) { return s.indexOf(p) >= 0; });
        });
      });
    }

    /* The hits, as document numbers and scores: a part when each word is wholly in the part
     * or wholly in its letter's metadata, one in the part; a letter's facts when its
     * metadata holds every word. */
    function combine(words, terms, letterAcc, docAcc, ex) {
      var W = docAcc.words, masks = words.map(function (word) { return maskOf(word, terms, W); });
      var letters = space.letters(), order = docAcc.order, i, k, n = 0;
      var doc = new Int32Array(order.length + letterAcc.order.length), score = new Float64Array(doc.length);
      for (i = 0; i < order.length; i += BLOCK) {
        n = partHits(order, i, Math.min(order.length, i + BLOCK), masks, W, letters, letterAcc, docAcc, ex,
          doc, score, n);
      }
      order = letterAcc.order;
      for (i = 0; i < order.length; i++) {
        var own = order[i], all = live(letterAcc, own);
        for (k = 0; k < masks.length && all; k++) all = holds(masks[k], letterAcc.masks, own * W, null, 0);
        if (all && !excluded(ex, own, own)) {
          doc[n] = space.facts(own);
          score[n++] = letterAcc.score[own];
        }
      }
      return { doc: doc.subarray(0, n), score: score.subarray(0, n) };
    }

    /* Resolves to {items, hits: [{ref, score}]} best first, or with options.ranked to
     * {items, results}: a Ranking of the hits by letter (see ranking), which makes no
     * object per hit (a hot term has 10^5). */
    function search(raw, options) {
      return folding([raw]).then(function () { return searchFolded(raw, options); });
    }

    function searchFolded(raw, options) {
      var items = parseQuery(raw);
      var wanted = items.filter(function (i) { return !i.negated; });
      var negated = items.filter(function (i) { return i.negated; });
      var required = uniqueSorted([].concat.apply([], wanted.map(lookedUp)));
      var ranked = options && options.ranked;
      if (!required.length) {
        var none = { doc: new Int32Array(0), score: new Float64Array(0) };
      return Promise.resolve(ranked ? { items: items, results: ranking(space, none.doc, none.score) } : { items: items, hits: [] });
      }
      var all = required.concat([].concat.apply([], negated.map(lookedUp)));
      return loadFiles(all).then(function (loaded) {
        var letterAcc = collect(loaded, required, "meta", function () { return false; }, "meta");
        var W = letterAcc.words, any = new Uint32Array(W), order = letterAcc.order;
        for (var i = 0; i < order.length; i++) {
          for (var w = 0; w < W; w++) any[w] |= letterAcc.masks[order[i] * W + w];
        }
        var inMeta = new Set(required.filter(function (t, k) { return any[k >> 5] & (1 << (k & 31)); }));
        var docAcc = collect(loaded, required, "text", function (t) { return !inMeta.has(t); }, "text");
        var hits = combine(wanted.map(lookedUp), required, letterAcc, docAcc, exclusions(loaded, negated));
        var phrases = wanted.filter(function (i) { return i.phrase; })
          .map(function (i) { return tok.squash(i.text); });
        if (!phrases.length) return hits;
        var letters = new Set(Array.from(hits.doc, function (d) { return space.refs[d].split("#")[0]; }));
        var viaPages = letters.size <= PHRASE_PAGES;
        return Promise.all(Array.from(hits.doc, function (d) { return hasPhrases(space.refs[d], phrases, viaPages); }))
          .then(function (keep) {
            return { doc: hits.doc.filter(function (d, i) { return keep[i]; }),
              score: hits.score.filter(function (s, i) { return keep[i]; }) };
          });
      }).then(function (hits) {
        if (ranked) return { items: items, results: ranking(space, hits.doc, hits.score) };
        var list = Array.from(hits.doc, function (d, i) { return { ref: space.refs[d], score: hits.score[i] }; });
        return { items: items, hits: list.sort(byRank) };
      });
    }

    return { search: search, result: result, fileOf: fileOf, parseQuery: parseQuery, ready: folding };
  }

  function byRank(a, b) {
    if (a.score !== b.score) return b.score - a.score;
    return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
  }

  /* Hits (document numbers doc, scores score, in any order) by letter, as groupHits of them
   * sorted best first would give, without sorting them: {hits, letters} (counts),
   * groups(start, end) the letters ranked start to end, [{id (slot), score, hits: [{ref,
   * score}] best first}], ranked only as far as asked (a hot term's 10,000 letters are not
   * sorted to show five); filter(keep) the same of the letters whose slot passes keep. */
  function ranking(space, doc, score) {
    var refs = space.refs, letters = space.letters(), M = doc.length, G = 0;
    var groupOf = new Int32Array(space.size()), next = new Int32Array(M);
    var lead = new Int32Array(M), best = new Int32Array(M), head = new Int32Array(M);
    for (var from = 0; from < M; from += BLOCK) {
      G = groupBlock(refs, letters, doc, score, from, Math.min(M, from + BLOCK), groupOf, lead, best, head,
        next, G);
    }
    var order = [], sortedAll = false;

    /* order holds at least the first end letters in rank: a small top by one pass (kept
     * in order, each letter compared with the last kept first), else every letter sorted. */
    function rank(end) {
      end = Math.min(end, G);
      if (order.length >= end) return;
      if (end * 16 > G) {
        order = Array.from({ length: G }, function (x, k) { return k; });
        order.sort(function (a, b) {
          return before(refs, doc, score, best[a], best[b]) ? -1 : before(refs, doc, score, best[b], best[a]) ? 1 : 0;
        });
        sortedAll = true;
      } else {
        order = topLetters(refs, doc, score, best, G, end);
      }
    }

    function group(g) {
      var list = [];
      for (var h = head[g]; h >= 0; h = next[h]) list.push({ ref: refs[doc[h]], score: score[h] });
      list.sort(byRank);
      return { id: refs[lead[g]], score: score[best[g]], hits: list };
    }

    return {
      hits: M,
      letters: G,
      groups: function (start, end) {
        if (!sortedAll) rank(end);
        return order.slice(start, Math.min(end, G)).map(group);
      },
      filter: function (keep) {
        var pass = new Uint8Array(G), n = 0, h;
        for (var g = 0; g < G; g++) pass[g] = keep(refs[lead[g]]) ? 1 : 0;
        var kept = new Int32Array(M), keptScores = new Float64Array(M);
        for (h = 0; h < M; h++) {
          if (pass[groupOf[letters[doc[h]]] - 1]) { kept[n] = doc[h]; keptScores[n++] = score[h]; }
        }
        return ranking(space, kept.subarray(0, n), keptScores.subarray(0, n));
      }
    };
  }

  /* ranking's groups of the hits from…to: letters seen first get the next group number (G,
   * returned as it grows), each its best hit and the list of its hits (head, next). */
  function groupBlock(refs, letters, doc, score, from, to, groupOf, lead, best, head, next, G) {
    for (var i = from; i < to; i++) {
      var letter = letters[doc[i]], g = groupOf[letter] - 1;
      if (g < 0) {
        g = G++;
        groupOf[letter] = g + 1;
        lead[g] = letter;
        best[g] = i;
        head[g] = -1;
      } else if (before(refs, doc, score, i, best[g])) {
        best[g] = i;
      }
      next[i] = head[g];
      head[g] = i;
    }
    return G;
  }

  /* Hit i ranks above hit j: by score, then ref. */
  function before(refs, doc, score, i, j) {
    return score[i] > score[j] || (score[i] === score[j] && refs[doc[i]] < refs[doc[j]]);
  }

  /* The end best letters (by their best hits), in rank, in one pass over them. */
  function topLetters(refs, doc, score, best, G, end) {
    var top = [];
    for (var g = 0; g < G; g++) {
      if (top.length === end && !before(refs, doc, score, best[g], best[top[end - 1]])) continue;
      var j = top.length < end ? top.length : end - 1;
      while (j > 0 && before(refs, doc, score, best[g], best[top[j - 1]])) { top[j] = top[j - 1]; j--; }
      top[j] = g;
    }
    return top;
  }

  /* One entry per letter, in the order of its best part (hits are best first), its parts
   * under it in their own order: [{id, score, hits}]. Twin of query.group_hits, and what a
   * ranking's groups give. */
  function groupHits(hits) {
    var groups = [], byLetter = new Map();
    hits.forEach(function (hit) {
      var id = hit.ref.split("#")[0];
      if (!byLetter.has(id)) {
        byLetter.set(id, { id: id, score: hit.score, hits: [] });
        groups.push(byLetter.get(id));
      }
      byLetter.get(id).hits.push(hit);
    });
    return groups;
  }

  return {
    parseQuery: parseQuery, fnv1a: fnv1a, idf: idf, createEngine: createEngine, groupHits: groupHits,
    ranking: ranking, docSpace: docSpace,
    lunrIndex: lunrIndex, partOf: partOf, decode123: decode123, inflate: inflate,
    postingTable: postingTable, scoreTable: scoreTable
  };
});
