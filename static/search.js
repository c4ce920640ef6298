/* The search engine, twin of src/replyarchive/index/query.py (same steps, same order, so a
 * test can require identical results for every shared query). No DOM here: the page is
 * search-page.js. Loads as a plain script (window.RASearch) or a CommonJS module (node tests).
 *
 * createEngine(catalog, loader, lunr): loader.shard(key) and loader.chunk(n) return promises
 * of the data files written by the index stage (search/shards/<key>.js: a term shard's packed
 * postings; search/letters/<n>.js: the text of the letters of chunk n), each a base64 string of
 * zlib-compressed text (index/packed.py), inflated here and turned into the lunr index lunr
 * loads (lunrIndex, twin of packed.lunr_index).
 *
 * Hits name a letter by its slot (packed.py), "00k3#s2-3" or "00k3#facts"; result(ref) gives
 * its id with the rest of its data.
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
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

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

  function docsWith(index, term) {
    var posting = index.invertedIndex[term], seen = new Set();
    index.fields.forEach(function (name) {
      Object.keys(posting[name]).forEach(function (ref) { seen.add(ref); });
    });
    return seen.size;
  }

  var SLOT_WIDTH = 4, SCORE_WIDTH = 2, SCORE_SCALE = 100, SLOTS = 1 << 20; /* packed.py */
  var TEXT_NAMES = ["title", "body"];
  var META_NAMES = ["title", "proposal_title", "doc_number", "proposal_number", "proposers",
    "contacts", "department", "session"];

  /* The text of a data file: base64 of zlib-compressed UTF-8 (packed.pack). */
  function inflate(b64) {
    if (!b64) return Promise.resolve("");
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }

  /* One kind's lines as a serialized lunr index, or null (twin of packed.lunr_index). */
  function lunrIndex(lines, kind, fields) {
    var prefix = kind + " ", inverted = [], vectors = new Map();
    lines.forEach(function (line) {
      if (line.slice(0, prefix.length) !== prefix) return;
      var tab = line.indexOf("\t"), index = inverted.length;
      var postings = fields.map(function () { return {}; });
      line.slice(tab + 1).split(" ").forEach(function (group) {
        var slot = group.slice(0, SLOT_WIDTH);
        group.slice(SLOT_WIDTH).split(",").forEach(function (one) {
          var field = Number(one[0]);
          var score = parseInt(one.slice(1, 1 + SCORE_WIDTH), 36) / SCORE_SCALE;
          var part = one.slice(1 + SCORE_WIDTH);
          var ref = part ? slot + "#" + part : slot;
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
   * score) and df. Used for the hot terms' files, where lunr's per-posting match data costs
   * most of a second. */
  function postingTable(lines, kind) {
    var prefix = kind + " ", refs = [], ids = new Map(), terms = new Map(), index = 0;
    lines.forEach(function (line) {
      if (line.slice(0, prefix.length) !== prefix) return;
      var tab = line.indexOf("\t"), docs = [], fields = [], scores = [], seen = new Set();
      line.slice(tab + 1).split(" ").forEach(function (group) {
        var slot = group.slice(0, SLOT_WIDTH);
        group.slice(SLOT_WIDTH).split(",").forEach(function (one) {
          var part = one.slice(1 + SCORE_WIDTH), ref = part ? slot + "#" + part : slot;
          var id = ids.get(ref);
          if (id === undefined) { id = refs.length; ids.set(ref, id); refs.push(ref); }
          seen.add(id);
          docs.push(id);
          fields.push(Number(one[0]));
          scores.push(parseInt(one.slice(1, 1 + SCORE_WIDTH), 36) / SCORE_SCALE);
        });
      });
      terms.set(line.slice(prefix.length, tab), {
        index: index++, docs: Int32Array.from(docs), fields: Uint8Array.from(fields),
        scores: Float64Array.from(scores), df: seen.size
      });
    });
    return index ? { refs: refs, ids: ids, terms: terms } : null;
  }

  /* Scores of one file's table for terms (clause order) and their boosts, as lunr 2.3.9's
   * Index.query gives them, to the last bit: per field, the dot product of the query vector
   * (every term's boost, in every field) with the field's vector, in term-index order, over
   * the query vector's length; a document's fields added in the order lunr meets them (by
   * the first term holding the field, then field order); only documents holding every
   * required term. Calls found(ref, score, matched terms) for each document (only those
   * marked in only, a Uint8Array by document, if given). */
  function scoreTable(table, terms, boosts, required, fieldCount, found, only) {
    var present = [], squares = 0, F = fieldCount;
    terms.forEach(function (term, clause) {
      var entry = table.terms.get(term);
      if (entry) present.push({ term: term, clause: clause, boost: boosts[clause], entry: entry });
    });
    var needed = terms.filter(required);
    if (needed.some(function (t) { return !table.terms.has(t); })) return;
    var byIndex = present.slice().sort(function (a, b) { return a.entry.index - b.entry.index; });
    byIndex.forEach(function (p) { squares += p.boost * p.boost; });
    var magnitude = Math.sqrt(squares);
    var n = table.refs.length, dots = new Float64Array(n * F), first = new Int32Array(n * F);
    var held = new Int32Array(n), last = new Int32Array(n).fill(-1), touched = [];
    var matched = new Array(n), lists = new Map(); /* the same list for the same terms */
    byIndex.forEach(function (p) {
      var e = p.entry, need = required(p.term), clause = p.clause + 1;
      for (var i = 0; i < e.docs.length; i++) {
        var d = e.docs[i], at = d * F + e.fields[i];
        if (first[at] === 0 || clause < first[at]) first[at] = clause;
        dots[at] += p.boost * e.scores[i];
        if (last[d] !== p.clause) {
          var before = last[d] === -1 ? "" : matched[d], key = before + "\n" + p.term;
          if (last[d] === -1) touched.push(d);
          last[d] = p.clause;
          matched[d] = key;
          if (need) held[d]++;
        }
      }
    });
    var order = new Int32Array(F);
    for (var t = 0; t < touched.length; t++) {
      var d = touched[t], base = d * F, count = 0;
      if (held[d] < needed.length || (only && !only[d])) continue;
      for (var f = 0; f < F; f++) {
        if (!first[base + f]) continue;
        var j = count++;
        while (j > 0 && first[base + order[j - 1]] > first[base + f]) { order[j] = order[j - 1]; j--; }
        order[j] = f;
      }
      var score = dots[base + order[0]] / magnitude || 0;
      for (var k = 1; k < count; k++) score += dots[base + order[k]] / magnitude || 0;
      var list = lists.get(matched[d]);
      if (list === undefined) lists.set(matched[d], list = matched[d].slice(1).split("\n"));
      found(table.refs[d], score, list);
    }
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

  function createEngine(catalog, loader, lunr) {
    var hotSet = new Set(catalog.hot);
    var shards = new Map(), chunks = new Map();
    var folding = tableLoader(catalog.t2s, loader.table);

    function fileOf(term) {
      return hotSet.has(term) ? "h" + fnv1a(term).toString(16) : String(fnv1a(term) % catalog.shards);
    }

    function lookedUp(item) {
      var rare = item.tokens.filter(function (t) { return !hotSet.has(t); });
      return rare.length ? rare : item.tokens.slice();
    }

    /* A hot term's file is scored from its typed arrays (scoreTable), any other by lunr. */
    function loadKind(key, lines, kind, fields) {
      if (key.charAt(0) === "h") {
        var table = postingTable(lines, kind);
        return table && { table: table, fields: fields };
      }
      var data = lunrIndex(lines, kind, fields);
      return data && lunr.Index.load(data);
    }

    function shard(key) {
      if (!shards.has(key)) {
        shards.set(key, loader.shard(key).then(inflate).then(function (text) {
          var lines = text ? text.split("\n") : [];
          return { text: loadKind(key, lines, "t", TEXT_NAMES), meta: loadKind(key, lines, "m", META_NAMES) };
        }));
      }
      return shards.get(key);
    }

    /* What a result shows: {letter (its metadata fields joined as .meta, its id as .id), part
     * row or null}. Refs name a letter by its slot ("00k3#s2-3"); its chunk holds the rest. */
    function result(ref) {
      var cut = ref.indexOf("#"), id = cut < 0 ? ref : ref.slice(0, cut);
      var partId = cut < 0 ? null : ref.slice(cut + 1);
      var slot = id;
      var chunk = Math.floor(parseInt(slot, 36) * catalog.chunks / SLOTS);
      if (!chunks.has(chunk)) {
        chunks.set(chunk, loader.chunk(chunk).then(inflate).then(JSON.parse));
      }
      return chunks.get(chunk).then(function (all) {
        var data = all[slot];
        var letter = Object.assign({}, data.letter, { meta: data.letter.meta.join("\n") });
        var row = data.parts.filter(function (r) { return r[0] === partId; })[0] || null;
        return { letter: letter, part: row };
      });
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

    /* Query one shard index, each term boosted by its idf; add matched terms and score per ref
     * to acc. lunr divides by the query vector's length (the boosts' norm): multiplied back. */
    function run(index, terms, required, acc, documents, scale) {
      if (index.table) return runTable(index, terms, required, acc, documents, scale);
      var presence = lunr.Query.presence, squares = 0;
      var boosts = terms.map(function (term) {
        if (!has(index.invertedIndex, term)) return 1;
        var boost = idf(docsWith(index, term), documents) * scale;
        squares += boost * boost;
        return boost;
      });
      var results = index.query(function (q) {
        terms.forEach(function (term, i) {
          q.term(term, {
            usePipeline: false,
            boost: boosts[i],
            presence: required(term) ? presence.REQUIRED : presence.OPTIONAL
          });
        });
      });
      var factor = Math.sqrt(squares);
      results.forEach(function (result) {
        add(acc, result.ref, result.score * factor, Object.keys(result.matchData.metadata));
      });
    }

    /* A document's score from one file, and the terms it matched there: acc.list holds an
     * entry {ref, score, terms, passes} per ref, terms a list without repeats (never changed
     * in place: shared); the map by ref is made once a second file adds up (a file's refs are
     * distinct). Every result of a file with a required term holds that term; acc.passes
     * counts such files so far, and a ref missing from one of them (entry.passes <
     * acc.passes) can be no hit (its term is in no letter's facts either): left behind. */
    function add(acc, ref, score, terms) {
      if (acc.keep !== null && !acc.keep.has(ref)) return;
      var entry = acc.files > 1 ? entryOf(acc, ref) : undefined;
      if (entry === undefined) {
        if (acc.passes) return;
        acc.list.push(entry = { ref: ref, score: score, terms: terms, passes: 0 });
        if (acc.map !== null) acc.map.set(ref, entry);
      } else {
        if (entry.passes < acc.passes) return;
        for (var i = 0; i < terms.length; i++) {
          if (entry.terms.indexOf(terms[i]) < 0) entry.terms = entry.terms.concat([terms[i]]);
        }
        entry.score += score;
      }
      if (acc.requiring) entry.passes++;
    }

    function entryOf(acc, ref) {
      if (acc.map === null) {
        acc.map = new Map();
        acc.list.forEach(function (entry) { acc.map.set(entry.ref, entry); });
      }
      return acc.map.get(ref);
    }

    /* The entries still in the running (see add). */
    function live(acc, fn) {
      acc.list.forEach(function (entry) { if (entry.passes === acc.passes) fn(entry, entry.ref); });
    }

    /* As run, over a hot term's typed arrays: the same scores, without lunr. */
    function runTable(index, terms, required, acc, documents, scale) {
      var squares = 0;
      var boosts = terms.map(function (term) {
        var entry = index.table.terms.get(term);
        if (!entry) return 1;
        var boost = idf(entry.df, documents) * scale;
        squares += boost * boost;
        return boost;
      });
      var factor = Math.sqrt(squares);
      var only = null;
      if (acc.keep !== null) {
        only = new Uint8Array(index.table.refs.length);
        acc.keep.forEach(function (ref) {
          var id = index.table.ids.get(ref);
          if (id !== undefined) only[id] = 1;
        });
      }
      scoreTable(index.table, terms, boosts, required, index.fields.length, function (ref, score, found) {
        add(acc, ref, score * factor, found);
      }, only);
    }

    /* The refs holding every required term of the hot terms' files, or null: only they can
     * be hits, so add skips the others (tens of thousands for a few hot terms), rarest term
     * first. Only an optimisation: add would leave them behind anyway. */
    function candidates(loaded, groups, which, required) {
      var found = [];
      groups.forEach(function (terms, key) {
        var index = loaded.get(key)[which];
        if (!index || !index.table) return;
        terms.filter(required).forEach(function (term) {
          var entry = index.table.terms.get(term);
          if (entry) found.push({ table: index.table, entry: entry });
        });
      });
      if (!found.length) return null;
      found.sort(function (a, b) { return a.entry.df - b.entry.df; });
      var keep = new Set(), rarest = found[0];
      rarest.entry.docs.forEach(function (d) { keep.add(rarest.table.refs[d]); });
      found.slice(1).forEach(function (other) {
        var e = other.entry;
        if (!e.holds) {
          e.holds = new Uint8Array(other.table.refs.length);
          for (var i = 0; i < e.docs.length; i++) e.holds[e.docs[i]] = 1;
        }
        keep.forEach(function (ref) {
          var id = other.table.ids.get(ref);
          if (id === undefined || !e.holds[id]) keep.delete(ref);
        });
      });
      return keep;
    }

    function collect(loaded, terms, which, required) {
      var groups = byFile(terms);
      var acc = { list: [], map: null, files: 0, passes: 0, requiring: false,
        keep: candidates(loaded, groups, which, required) };
      var scale = which === "meta" ? idfScale(catalog.documents) : 1;
      Array.from(groups.keys()).sort().forEach(function (key) {
        var index = loaded.get(key)[which];
        acc.requiring = groups.get(key).some(required);
        if (index) {
          acc.files++;
          run(index, groups.get(key), required, acc, catalog.documents[which], scale);
        }
        if (acc.requiring) acc.passes++; /* without the file's index, no entry is left */
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

    function exclusions(loaded, negated) {
      if (!negated.length) return function () { return false; };
      var words = negated.map(lookedUp);
      var terms = uniqueSorted([].concat.apply([], words));
      var docs = collect(loaded, terms, "text", function () { return false; });
      var metas = collect(loaded, terms, "meta", function () { return false; });
      var none = { terms: [] };
      return function (ref, letterId) {
        var have = (entryOf(docs, ref) || none).terms.concat((entryOf(metas, letterId) || none).terms);
        return words.some(function (word) { return within(word, have); });
      };
    }

    function hasPhrases(ref, phrases) {
      return result(ref).then(function (data) {
        var texts = [data.letter.meta];
        if (data.part) texts.push(data.part[2] + "\n" + data.part[5]);
        return folding(texts).then(function () { return texts; });
      }).then(function (texts) {
        var squashed = texts.map(tok.squash);
        return phrases.every(function (p) {
          return squashed.some(function (s) { return s.indexOf(p) >= 0; });
        });
      });
    }

    function within(word, list) {
      for (var i = 0; i < word.length; i++) if (list.indexOf(word[i]) < 0) return false;
      return true;
    }

    /* Each word wholly in the part or wholly in its letter's metadata; one in the part. */
    function partMatches(words, own, meta) {
      var any = false;
      for (var i = 0; i < words.length; i++) {
        if (within(words[i], own)) any = true;
        else if (!within(words[i], meta)) return false;
      }
      return any;
    }

    function combine(words, letterAcc, docAcc, isExcluded) {
      var hits = [], none = { score: 0, terms: [] }, letterId = null, letter = none;
      live(docAcc, function (entry, ref) {
        if (!sameLetter(ref, letterId)) { /* a letter's parts mostly come one after another */
          letterId = ref.slice(0, ref.indexOf("#"));
          letter = entryOf(letterAcc, letterId) || none;
        }
        if (partMatches(words, entry.terms, letter.terms) && !isExcluded(ref, letterId)) {
          hits.push({ ref: ref, score: entry.score + letter.score });
        }
      });
      live(letterAcc, function (entry, letterId) {
        var all = words.every(function (word) { return within(word, entry.terms); });
        if (all && !isExcluded(letterId, letterId)) hits.push({ ref: letterId + "#" + FACTS_ID, score: entry.score });
      });
      return hits;
    }

    /* Resolves to {items, hits: [{ref, score}]} best first (in no order with
     * options.unsorted: rankGroups orders them by letter without sorting them all). */
    function search(raw, options) {
      return folding([raw]).then(function () { return searchFolded(raw, options); });
    }

    function searchFolded(raw, options) {
      var items = parseQuery(raw);
      var wanted = items.filter(function (i) { return !i.negated; });
      var negated = items.filter(function (i) { return i.negated; });
      var required = uniqueSorted([].concat.apply([], wanted.map(lookedUp)));
      if (!required.length) return Promise.resolve({ items: items, hits: [] });
      var all = required.concat([].concat.apply([], negated.map(lookedUp)));
      return loadFiles(all).then(function (loaded) {
        var letterAcc = collect(loaded, required, "meta", function () { return false; });
        var inMeta = new Set();
        live(letterAcc, function (entry) { entry.terms.forEach(function (t) { inMeta.add(t); }); });
        var docAcc = collect(loaded, required, "text", function (t) { return !inMeta.has(t); });
        var hits = combine(wanted.map(lookedUp), letterAcc, docAcc, exclusions(loaded, negated));
        var phrases = wanted.filter(function (i) { return i.phrase; })
          .map(function (i) { return tok.squash(i.text); });
        if (!phrases.length) return hits;
        return Promise.all(hits.map(function (h) { return hasPhrases(h.ref, phrases); }))
          .then(function (keep) { return hits.filter(function (h, i) { return keep[i]; }); });
      }).then(function (hits) {
        return { items: items, hits: options && options.unsorted ? hits : hits.sort(byRank) };
      });
    }

    return { search: search, result: result, fileOf: fileOf, parseQuery: parseQuery, ready: folding };
  }

  function byRank(a, b) {
    if (a.score !== b.score) return b.score - a.score;
    return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
  }

  /* Whether ref ("<slot>#<part>") is of the letter id, without cutting a new string. */
  function sameLetter(ref, id) {
    return id !== null && ref.length > id.length && ref.charCodeAt(id.length) === 35 &&
      ref.lastIndexOf(id, 0) === 0;
  }

  /* groupHits of the hits sorted best first, from hits in any order: the letters ordered by
   * their best part, without sorting every hit (a hot term has tens of thousands). A group's
   * own hits are put in order by sortGroup, when it is shown. */
  function rankGroups(hits) {
    var groups = [], byLetter = new Map(), group = null;
    hits.forEach(function (hit) {
      if (group === null || !sameLetter(hit.ref, group.id)) {
        var id = hit.ref.slice(0, hit.ref.indexOf("#"));
        group = byLetter.get(id);
        if (group === undefined) {
          group = { id: id, score: hit.score, hits: [], best: hit, sorted: false };
          byLetter.set(id, group);
          groups.push(group);
        }
      }
      if (byRank(hit, group.best) < 0) { group.best = hit; group.score = hit.score; }
      group.hits.push(hit);
    });
    return groups.sort(function (a, b) { return byRank(a.best, b.best); });
  }

  function sortGroup(group) {
    if (!group.sorted) { group.hits.sort(byRank); group.sorted = true; }
    return group;
  }

  /* One entry per letter, in the order of its best part (hits are best first), its parts
   * under it in their own order: [{id, score, hits}]. Twin of query.group_hits. */
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
    rankGroups: rankGroups, sortGroup: sortGroup,
    lunrIndex: lunrIndex, inflate: inflate, postingTable: postingTable, scoreTable: scoreTable
  };
});
