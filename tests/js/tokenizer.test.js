// The JS tokenizer must give the same tokens as the Python one for every shared vector.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const ROOT = path.resolve(__dirname, "..", "..");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));

function loadTable() {
  // The table is generated from OpenCC's data by the Python package, as the build does.
  const python = path.join(ROOT, ".venv", "bin", "python");
  const script = execFileSync(python, ["-m", "replyarchive.index.t2s"], { encoding: "utf8" });
  const sandbox = {};
  new Function("globalThis", "window", script)(sandbox, sandbox);
  return sandbox.RA_T2S;
}

tokenizer.useTable(loadTable());
const vectors = JSON.parse(
  fs.readFileSync(path.join(ROOT, "tests", "fixtures", "tokenizer_vectors.json"), "utf8")
);

for (const c of vectors.cases) {
  test(`tokenize ${JSON.stringify(c.text)}: ${c.note}`, () => {
    assert.deepStrictEqual(tokenizer.tokenize(c.text), c.tokens);
    assert.deepStrictEqual(tokenizer.queryTokens(c.text), c.query || c.tokens);
    assert.strictEqual(tokenizer.squash(c.text), c.squashed);
  });
}

test("the vectors cover traditional, full-width and astral text", () => {
  assert.ok(vectors.cases.length >= 20);
  assert.deepStrictEqual(tokenizer.tokenize("生產"), tokenizer.tokenize("生产"));
});
