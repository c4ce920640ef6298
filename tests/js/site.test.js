// static/site.js on a letter page whose address ends in a fragment, run in a small fake DOM.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const SCRIPT = fs.readFileSync(path.join(__dirname, "..", "..", "static", "site.js"), "utf8");

function element(attributes) {
  return {
    hidden: false,
    textContent: "",
    getAttribute: (name) => (name in attributes ? attributes[name] : null),
    hasAttribute: (name) => name in attributes,
    querySelector() { return this.child || (this.child = element({})); },
  };
}

/* Run site.js on a page holding one part, id 分-1, with the address's fragment `hash`. */
function openPage(hash) {
  const block = element({ "data-prefix": "某函", "data-url": "https://a.gov.cn/replies/x/" });
  const part = element({ "data-path": "一、", "data-title": "总体情况" });
  const listeners = {};
  const document = {
    querySelector: (sel) => (sel === "[data-part-citation]" ? block : null),
    querySelectorAll: () => [],
    getElementById: (id) => (id === "分-1" ? part : null),
  };
  const location = { hash, href: "https://a.gov.cn/replies/x/" + hash };
  const window = { addEventListener: (type, fn) => { listeners[type] = fn; } };
  vm.runInNewContext(SCRIPT, { window, document, location, navigator: {} });
  return { block, listeners, location };
}

test("a malformed fragment hides the part citation instead of throwing", () => {
  const page = openPage("#%E0%A4%A");
  assert.strictEqual(page.block.hidden, true);
  page.location.hash = "#%";
  assert.doesNotThrow(() => page.listeners.hashchange());
  assert.strictEqual(page.block.hidden, true);
});

test("an encoded fragment naming a part offers that part's citation", () => {
  const page = openPage("#" + encodeURIComponent("分-1"));
  assert.strictEqual(page.block.hidden, false);
  assert.match(page.block.child.textContent, /^某函，一、总体情况。https:\/\/a\.gov\.cn\/replies\/x\/#分-1$/);
});
