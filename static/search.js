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

  function uniqueSorted(tokens) {
    return Array.from(new Set(tokens)).sort();
  }

  function createEngine(catalog, loader, lunr) {
    var hotSet = new Set(catalog.hot);
    var shards = new Map(), chunks = new Map();

    function fileOf(term) {
      return hotSet.has(term) ? "h" + fnv1a(term).toString(16) : String(fnv1a(term) % catalog.shards);
    }

    function lookedUp(item) {
      var rare = item.tokens.filter(function (t) { return !hotSet.has(t); });
      return rare.length ? rare : item.tokens.slice();
    }

    function shard(key) {
      if (!shards.has(key)) {
        shards.set(key, loader.shard(key).then(inflate).then(function (text) {
          var lines = text ? text.split("\n") : [];
          var parts = lunrIndex(lines, "t", TEXT_NAMES), meta = lunrIndex(lines, "m", META_NAMES);
          return {
            text: parts ? lunr.Index.load(parts) : null,
            meta: meta ? lunr.Index.load(meta) : null
          };
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
        var ref = result.ref;
        if (!acc.matched.has(ref)) acc.matched.set(ref, new Set());
        var set = acc.matched.get(ref);
        Object.keys(result.matchData.metadata).forEach(function (t) { set.add(t); });
        acc.scores.set(ref, (acc.scores.has(ref) ? acc.scores.get(ref) : 0) + result.score * factor);
      });
    }

    function collect(loaded, terms, which, required) {
      var acc = { matched: new Map(), scores: new Map() };
      var groups = byFile(terms);
      var scale = which === "meta" ? idfScale(catalog.documents) : 1;
      Array.from(groups.keys()).sort().forEach(function (key) {
        var index = loaded.get(key)[which];
        if (index) run(index, groups.get(key), required, acc, catalog.documents[which], scale);
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
      var words = negated.map(lookedUp);
      var terms = uniqueSorted([].concat.apply([], words));
      var docs = collect(loaded, terms, "text", function () { return false; }).matched;
      var metas = collect(loaded, terms, "meta", function () { return false; }).matched;
      return function (ref, letterId) {
        var have = new Set([].concat(
          Array.from(docs.get(ref) || []), Array.from(metas.get(letterId) || [])));
        return words.some(function (word) { return word.every(function (t) { return have.has(t); }); });
      };
    }

    function hasPhrases(ref, phrases) {
      return result(ref).then(function (data) {
        var texts = [data.letter.meta];
        if (data.part) texts.push(data.part[2] + "\n" + data.part[5]);
        var squashed = texts.map(tok.squash);
        return phrases.every(function (p) {
          return squashed.some(function (s) { return s.indexOf(p) >= 0; });
        });
      });
    }

    function within(word, set) {
      return word.every(function (t) { return set.has(t); });
    }

    /* Each word wholly in the part or wholly in its letter's metadata; one in the part. */
    function partMatches(words, own, meta) {
      var inPart = words.map(function (word) { return within(word, own); });
      return inPart.some(Boolean) && words.every(function (word, i) {
        return inPart[i] || within(word, meta);
      });
    }

    function combine(words, letterAcc, docAcc, isExcluded) {
      var hits = [], none = new Set();
      docAcc.scores.forEach(function (score, ref) {
        var letterId = ref.split("#")[0];
        var meta = letterAcc.matched.get(letterId) || none;
        if (partMatches(words, docAcc.matched.get(ref), meta) && !isExcluded(ref, letterId)) {
          var extra = letterAcc.scores.has(letterId) ? letterAcc.scores.get(letterId) : 0;
          hits.push({ ref: ref, score: score + extra });
        }
      });
      letterAcc.scores.forEach(function (score, letterId) {
        var found = letterAcc.matched.get(letterId);
        var all = words.every(function (word) { return within(word, found); });
        if (all && !isExcluded(letterId, letterId)) hits.push({ ref: letterId + "#" + FACTS_ID, score: score });
      });
      return hits;
    }

    function byRank(a, b) {
      if (a.score !== b.score) return b.score - a.score;
      return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
    }

    /* Resolves to {items, hits: [{ref, score}]} best first. */
    function search(raw) {
      var items = parseQuery(raw);
      var wanted = items.filter(function (i) { return !i.negated; });
      var negated = items.filter(function (i) { return i.negated; });
      var required = uniqueSorted([].concat.apply([], wanted.map(lookedUp)));
      if (!required.length) return Promise.resolve({ items: items, hits: [] });
      var all = required.concat([].concat.apply([], negated.map(lookedUp)));
      return loadFiles(all).then(function (loaded) {
        var letterAcc = collect(loaded, required, "meta", function () { return false; });
        var inMeta = new Set();
        letterAcc.matched.forEach(function (set) { set.forEach(function (t) { inMeta.add(t); }); });
        var docAcc = collect(loaded, required, "text", function (t) { return !inMeta.has(t); });
        var hits = combine(wanted.map(lookedUp), letterAcc, docAcc, exclusions(loaded, negated));
        var phrases = wanted.filter(function (i) { return i.phrase; })
          .map(function (i) { return tok.squash(i.text); });
        if (!phrases.length) return hits;
        return Promise.all(hits.map(function (h) { return hasPhrases(h.ref, phrases); }))
          .then(function (keep) { return hits.filter(function (h, i) { return keep[i]; }); });
      }).then(function (hits) {
        return { items: items, hits: hits.sort(byRank) };
      });
    }

    return { search: search, result: result, fileOf: fileOf, parseQuery: parseQuery };
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
    lunrIndex: lunrIndex, inflate: inflate
  };
});
