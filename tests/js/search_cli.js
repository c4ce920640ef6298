// Run the browser's search engine over a built site's search files from the command line:
//   node tests/js/search_cli.js <site>/search query1 query2 ...
// prints [[query, [[ref, score], ...], [[letter id, score, [ref, ...]], ...]], ...] as JSON: the
// hits best first, and the letters as the page ranks them, five a page.
// Used by tests/index/test_parity.py.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const tokenizer = require(path.join(ROOT, "static", "tokenize.js"));
const { createEngine } = require(path.join(ROOT, "static", "search.js"));

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
    chunk: async (n) => readScript(path.join(folder, "letters", `${n}.js`)),
  };
  const engine = createEngine(catalog, loader);
  // Hits name letters by slot; the letters' rows give their ids, as the page's chunks do.
  const rows = readScript(path.join(folder, "letters.js"));
  const slot = rows.letterColumns.indexOf("slot");
  const ids = new Map(rows.letters.map((row) => [row[slot], row[0]]));
  const full = (ref) => ids.get(ref.split("#")[0]) + ref.slice(ref.indexOf("#"));
  const pages = (results) => {
    const groups = [];
    for (let start = 0; start < results.letters; start += 5) groups.push(...results.groups(start, start + 5));
    return groups;
  };
  return Promise.all(queries.map(async (q) => {
    const hits = (await engine.search(q)).hits;
    const groups = pages((await engine.search(q, { ranked: true })).results);
    return [
      q,
      hits.map((h) => [full(h.ref), h.score]),
      groups.map((g) => [ids.get(g.id), g.score, g.hits.map((h) => full(h.ref))]),
    ];
  }));
}

main(process.argv[2], process.argv.slice(3)).then(
  (out) => process.stdout.write(JSON.stringify(out) + "\n"),
  (err) => { process.stderr.write(String(err.stack || err) + "\n"); process.exit(1); }
);
