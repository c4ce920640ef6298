// The search page loads the traditional→simplified table only for text with a character it maps
// (its own process: the other tests set the table first).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));
const { createEngine } = require(path.join(ROOT, "static", "search.js"));

const python = path.join(ROOT, ".venv", "bin", "python");
const code = "import json; from replyarchive.index import t2s; t = t2s.t2s_table(); " +
  "print(json.dumps([t2s.table_keys(t), list(t2s.table_pair(t))], ensure_ascii=False))";
const [keys, pair] = JSON.parse(execFileSync(python, ["-c", code], { encoding: "utf8" }));

test("the table is loaded once, for the first text holding a character it maps", async () => {
  let loads = 0;
  const catalog = { shards: 1, hot: [], documents: { text: 1, meta: 1 }, chunks: 1, t2s: keys };
  assert.ok(!tokenizer.hasTable());
  const engine = createEngine(catalog, { table: async () => { loads++; return pair; } }, null);
  await engine.ready(["企业 TCL 4.5米", "第48号", null]);
  assert.strictEqual(loads, 0);
  assert.strictEqual(tokenizer.fold("企业ＴＣＬ"), "企业tcl");
  await engine.ready(["设计和生產"]);
  assert.strictEqual(loads, 1);
  assert.strictEqual(tokenizer.fold("生產"), "生产");
  await engine.ready(["產", "𠮷"]);
  assert.strictEqual(loads, 1);
});
