// Run the browser's search engine over a built site's search files from the command line:
//   node tests/js/search_cli.js <site>/search query1 query2 ...
// prints [[query, [[ref, score], ...], [[letter id, score, [ref, ...]], ...]], ...] as JSON.
// Used by tests/index/test_parity.py.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
// Found by the usual lookup up the folders, so a git worktree beside a node_modules works too.
const lunr = require("lunr");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));
const { createEngine, groupHits } = require(path.join(ROOT, "static", "search.js"));

function readScript(file) {
  let data = null;
  new Function("RASearchLoad", "window", fs.readFileSync(file, "utf8"))((key, value) => {
    data = value;
  }, globalThis);
  return data;
}

function main(folder, queries) {
  const sandbox = {};
  new Function("window", fs.readFileSync(path.join(folder, "t2s.js"), "utf8"))(sandbox);
  tokenizer.useTable(sandbox.RA_T2S);
  const catalog = readScript(path.join(folder, "catalog.js"));
  const loader = {
    shard: async (key) => {
      const file = path.join(folder, "shards", `${key}.js`);
      return fs.existsSync(file) ? readScript(file) : null;
    },
    letter: async (id) => readScript(path.join(folder, "parts", `${id}.js`)),
  };
  const engine = createEngine(catalog, loader, lunr);
  return Promise.all(queries.map((q) => engine.search(q))).then((results) =>
    results.map((r, i) => [
      queries[i],
      r.hits.map((h) => [h.ref, h.score]),
      groupHits(r.hits).map((g) => [g.id, g.score, g.hits.map((h) => h.ref)]),
    ])
  );
}

main(process.argv[2], process.argv.slice(3)).then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err) => { process.stderr.write(String(err.stack || err) + "\n"); process.exit(1); }
);
