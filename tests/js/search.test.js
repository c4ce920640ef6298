// The engine's pure parts: the query language and the shard hash (same cases as the Python tests).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));
const { parseQuery, fnv1a, idf, createEngine } = require(path.join(ROOT, "static", "search.js"));

const python = path.join(ROOT, ".venv", "bin", "python");
const sandbox = {};
new Function("window", execFileSync(python, ["-m", "replyarchive.index.t2s"], { encoding: "utf8" }))(sandbox);
tokenizer.useTable(sandbox.RA_T2S);

const simple = (raw) => parseQuery(raw).map((i) => [i.text, i.phrase, i.negated]);

test("words, phrases and exclusions", () => {
  assert.deepStrictEqual(simple("鑫光 揭榜"), [["鑫光", false, false], ["揭榜", false, false]]);
  assert.deepStrictEqual(simple('"设计和 生产" -TCL'), [["设计和 生产", true, false], ["TCL", false, true]]);
  assert.deepStrictEqual(simple("“灯塔工厂”"), [["灯塔工厂", true, false]]);
  assert.deepStrictEqual(simple("－鑫光\u3000揭榜"), [["鑫光", false, true], ["揭榜", false, false]]);
  assert.deepStrictEqual(simple("- 。，"), []);
  assert.deepStrictEqual(simple('"unclosed phrase'), [["unclosed phrase", true, false]]);
});

test("query words carry the tokenizer's tokens", () => {
  assert.deepStrictEqual(parseQuery("生產")[0].tokens, ["生产"]);
});

test("fnv1a matches the 32-bit reference values", () => {
  assert.strictEqual(fnv1a(""), 0x811c9dc5);
  assert.strictEqual(fnv1a("a"), 0xe40c292c);
  assert.strictEqual(fnv1a("foobar"), 0xbf9cf968);
});

test("idf is lunr's formula rounded to 6 decimals, never 0", () => {
  assert.strictEqual(idf(1, 10), Math.floor(Math.log(1 + 9.5 / 1.5) * 1e6 + 0.5) / 1e6);
  assert.ok(idf(10, 10) > 0);
  assert.ok(idf(1, 1000) > idf(100, 1000));
});

const catalog = { shards: 8, hot: ["企业"], documents: { text: 3, meta: 1 }, chunks: 4 };
const letterFile = {
  letter: { id: "a-1", title: "T", meta: ["标题", "", "某局", "", "", ""] },
  partColumns: ["id", "path", "title", "adoption", "status", "body"],
  parts: [["s1", "一、", "头", null, null, "正文"], ["s2", "二、", "尾", null, null, "更多"]]
};

test("a hot term's file is keyed by its hash, an ordinary one by hash mod K", () => {
  const engine = createEngine(catalog, {}, null);
  assert.strictEqual(engine.fileOf("企业"), "h" + fnv1a("企业").toString(16));
  assert.strictEqual(engine.fileOf("发展"), String(fnv1a("发展") % 8));
});

// A data file's string as the index stage writes it (packed.pack: zlib, then codec.encode).
function packed(text) {
  const code = "import sys; from replyarchive.index.packed import pack; " +
    "sys.stdout.buffer.write(pack('k', sys.stdin.read()))";
  const file = execFileSync(python, ["-c", code], { input: text, encoding: "utf8" });
  return file.slice(file.indexOf('","') + 3, file.lastIndexOf('");'));
}

test("results come from their letter's chunk, by slot, each chunk loaded once", async () => {
  const asked = [];
  // slot "mh33" is the last of 2^20: chunk 3 of 4.
  const chunk = packed(JSON.stringify({ mh33: letterFile }));
  const engine = createEngine(catalog, {
    chunk: async (n) => { asked.push(n); return chunk; }
  }, null);
  const part = await engine.result("mh33#s2");
  const letter = await engine.result("mh33");
  assert.deepStrictEqual(part.part, ["s2", "二、", "尾", null, null, "更多"]);
  assert.strictEqual(part.letter.meta, "标题\n\n某局\n\n\n");
  assert.strictEqual(part.letter.id, "a-1");
  assert.strictEqual(letter.part, null);
  assert.deepStrictEqual(asked, [3]);
});

test("with an id file and a page reader, a result comes from its letter's page", async () => {
  const asked = [];
  const withIds = Object.assign({}, catalog, { ids: 2 });
  const chunk = await packed(JSON.stringify({ mh33: letterFile }));
  // slot "mh33" is in id file 1 of 2; a letter whose page cannot be read falls back to its chunk.
  const ids = await packed("mh30 b-2\nmh33 a-1\n");
  const page = Object.assign({}, letterFile, { letter: Object.assign({}, letterFile.letter, { title: "P" }) });
  const engine = createEngine(withIds, {
    ids: async (n) => { asked.push("ids " + n); return ids; },
    letter: async (id) => { asked.push("page " + id); return id === "a-1" ? page : null; },
    chunk: async (n) => { asked.push("chunk " + n); return chunk; }
  }, null);
  const part = await engine.result("mh33#s2");
  assert.deepStrictEqual(part.part, ["s2", "二、", "尾", null, null, "更多"]);
  assert.strictEqual(part.letter.title, "P");
  await engine.result("mh33");
  assert.deepStrictEqual(asked, ["ids 1", "page a-1"]);
  const other = await packed(JSON.stringify({ mh30: letterFile }));
  const fallback = createEngine(withIds, {
    ids: async () => ids,
    letter: async () => null,
    chunk: async (n) => { asked.push("chunk " + n); return other; }
  }, null);
  assert.strictEqual((await fallback.result("mh30#s1")).letter.title, "T");
  assert.deepStrictEqual(asked.slice(2), ["chunk 3"]);
});

test("a packed line loads as the lunr index of its postings", () => {
  const { lunrIndex } = require(path.join(ROOT, "static", "search.js"));
  const data = lunrIndex(["m 某局\t00011a", "t 企业\t00016f1,0d1 000a672"], "t",
    ["title", "body"]);
  assert.deepStrictEqual(data.invertedIndex,
    [["企业", { _index: 0, title: { "0001#s1": {}, "000a#s2": {} }, body: { "0001#s1": {} } }]]);
  assert.deepStrictEqual(data.fieldVectors,
    [["title/0001#s1", [0, 0.1]], ["body/0001#s1", [0, 0.13]], ["title/000a#s2", [0, 0.02]]]);
});

test("a posting's short part codes read back as part ids (packed.part_code's cases)", () => {
  const { partOf } = require(path.join(ROOT, "static", "search.js"));
  assert.deepStrictEqual(["", "1", "1c2", "0", "P", "C", "_s1-40", "_s01", "_x"].map(partOf),
    ["", "s1", "s1-12-2", "s0", "preamble", "closing", "s1-40", "s01", "x"]);
});

/* scoreTable's hits as [ref, score, matched terms sorted]. */
function scored(table, terms, boosts, required, fields, only) {
  const { scoreTable } = require(path.join(ROOT, "static", "search.js"));
  const got = [];
  const q = { terms, boosts, required: (t) => required.includes(t), fields, only: only || null,
    bits: terms.map((t, i) => i), words: 1 };
  const out = scoreTable(table, q);
  for (let i = 0; i < out.count; i++) {
    const d = out.docs[i];
    got.push([table.refs[d], out.scores[i], terms.filter((t, j) => out.masks[d] & (1 << j)).sort()]);
  }
  return got.sort();
}

test("a file's typed arrays score as lunr does, to the last bit", () => {
  const lunr = require("lunr");
  const { lunrIndex, postingTable } = require(path.join(ROOT, "static", "search.js"));
  // Three terms over parts and facts, some documents in both fields, one term in one file only.
  const lines = [
    "m 企业\t00011a 000a03b",
    "t 企业\t00016f1,0d1,172 000a672,643 1234231",
    "t 发展\t00016g1,969 1234d61,322",
    "t 高新\t000a313 1234682,5a1",
    "m 发展\t0001112,50c 000a33b,72d,01e 1234223",
    "m 高新\t0001513,20c 1234001,719",
  ];
  const cases = [
    [["企业"], [1.7], []], [["企业", "发展"], [0.3, 2.9], ["企业"]],
    [["发展", "企业", "高新"], [1.1, 0.7, 2.3], ["高新"]], [["企业", "发展", "高新"], [1, 1, 1], ["企业", "发展"]],
    [["企业", "缺"], [1, 1], ["缺"]], [["企业", "缺"], [1, 1], []],
    [["高新", "发展"], [0.9, 1.3], []],
  ];
  [["t", ["title", "body"]], ["m", ["title", "proposal_title", "doc_number", "proposal_number",
    "proposers", "contacts", "department", "session"]]].forEach(([kind, fields]) => {
    const index = lunr.Index.load(lunrIndex(lines, kind, fields));
    const table = postingTable(lines, kind);
    cases.forEach(([terms, boosts, required]) => {
      const expected = index.query((q) => terms.forEach((t, i) => q.term(t, {
        usePipeline: false, boost: boosts[i],
        presence: required.includes(t) ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL,
      }))).map((r) => [r.ref, r.score, Object.keys(r.matchData.metadata).sort()]).sort();
      assert.deepStrictEqual(scored(table, terms, boosts, required, fields.length), expected,
        kind + " " + terms.join(" "));
    });
  });
  // Terms of thousands of postings: scoreTable and the engine run them a block at a time.
  const score = (i) => (i % 1296).toString(36).padStart(2, "0");
  const many = (term, step) => {
    const groups = [];
    for (let i = 0; i < 6000; i += step) groups.push(`${i.toString(36).padStart(4, "0")}0${score(i * 7)}1,1${score(i)}2`);
    return `t ${term}\t${groups.join(" ")}`;
  };
  const large = [many("产业", 1), many("园区", 3)];
  const index = lunr.Index.load(lunrIndex(large, "t", ["title", "body"]));
  const big = postingTable(large, "t");
  [[[], [1.3, 0.4]], [["园区"], [0.2, 2.5]]].forEach(([required, boosts]) => {
    const expected = index.query((q) => ["产业", "园区"].forEach((t, i) => q.term(t, {
      usePipeline: false, boost: boosts[i],
      presence: required.includes(t) ? lunr.Query.presence.REQUIRED : lunr.Query.presence.OPTIONAL,
    }))).map((r) => [r.ref, r.score, Object.keys(r.matchData.metadata).sort()]).sort();
    assert.ok(expected.length > 4000 || required.length);
    assert.deepStrictEqual(scored(big, ["产业", "园区"], boosts, required, 2), expected);
  });
  const table = postingTable(lines, "t");
  const only = new Uint8Array(table.refs.length);
  only[table.ids.get("000a#s2")] = 1;
  assert.deepStrictEqual(scored(table, ["企业"], [1], ["企业"], 2, only).map((r) => r[0]), ["000a#s2"]);
  assert.strictEqual(postingTable(lines, "x"), null);
});

test("a ranking's pages are groupHits of the hits sorted, without sorting them", () => {
  const { docSpace, ranking, groupHits } = require(path.join(ROOT, "static", "search.js"));
  const space = docSpace();
  // 1,000 letters (so that a page of five is picked from the rest in one pass, and later pages
  // sort them all; hits in several blocks), up to four parts each and some facts, many ties.
  const hits = [];
  let seed = 7;
  const random = (n) => { seed = (seed * 48271) % 2147483647; return seed % n; };
  for (let letter = 0; letter < 1000; letter++) {
    const slot = letter.toString(36).padStart(4, "0");
    const parts = 1 + random(4);
    for (let p = 0; p < parts; p++) hits.push({ ref: `${slot}#s${p}`, score: random(40) / 8 });
    if (random(5) === 0) hits.push({ ref: `${slot}#facts`, score: random(40) / 8 });
  }
  for (let i = hits.length - 1; i > 0; i--) { const j = random(i + 1); [hits[i], hits[j]] = [hits[j], hits[i]]; }
  const results = ranking(space, hits.map((h) => space.id(h.ref)), hits.map((h) => h.score));
  const byRank = (a, b) => b.score - a.score || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);
  const eager = groupHits(hits.slice().sort(byRank));
  assert.strictEqual(results.hits, hits.length);
  assert.strictEqual(results.letters, 1000);
  assert.ok(hits.length > 2048);
  assert.deepStrictEqual(results.groups(0, 5), eager.slice(0, 5));
  assert.deepStrictEqual(results.groups(5, 10), eager.slice(5, 10));
  assert.deepStrictEqual(results.groups(100, 1100), eager.slice(100));
  const even = (slot) => parseInt(slot, 36) % 2 === 0;
  const kept = results.filter(even);
  const evenHits = hits.filter((h) => even(h.ref.slice(0, 4)));
  assert.strictEqual(kept.hits, evenHits.length);
  assert.deepStrictEqual(kept.groups(0, 5), groupHits(evenHits.sort(byRank)).slice(0, 5));
});
