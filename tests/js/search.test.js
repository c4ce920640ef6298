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

const catalog = {
  shards: 8, hot: ["企业"], documents: { text: 3, meta: 1 },
  letters: [["a-1", 2025, 0, "proposal", "A"]]
};
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

test("results come from one file per letter, loaded once", async () => {
  const asked = [];
  const engine = createEngine(catalog, {
    letter: async (id) => { asked.push(id); return letterFile; }
  }, null);
  const part = await engine.result("a-1#s2");
  const letter = await engine.result("a-1");
  assert.deepStrictEqual(part.part, ["s2", "二、", "尾", null, null, "更多"]);
  assert.strictEqual(part.letter.meta, "标题\n\n某局\n\n\n");
  assert.strictEqual(letter.part, null);
  assert.deepStrictEqual(asked, ["a-1"]);
});
