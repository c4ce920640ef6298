// The engine's pure parts: the query language and the shard hash (same cases as the Python tests).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));
const { parseQuery, fnv1a } = require(path.join(ROOT, "static", "search.js"));

const python = path.join(ROOT, ".venv", "bin", "python");
const sandbox = {};
new Function("window", execFileSync(python, ["-m", "replyarchive.search.t2s"], { encoding: "utf8" }))(sandbox);
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
