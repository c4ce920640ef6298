/* The search page (search/index.html): reads ?q= and the filters from the URL, runs the engine
 * (static/search.js), renders results as links to the parts of the letters. Every data file is
 * a script calling RASearchLoad(key, data), loaded with a <script> tag, so the page also works
 * when the site is opened from disk (file://). Text from the data goes in with textContent only.
 */
(function () {
  "use strict";
  var app = document.querySelector("[data-search-app]");
  if (!app) return;

  /* Letters per page (显示更多结果 shows as many more): each loads its letter's page (from
   * disk, its chunk of letters in search/letters/), the most of a first search's bytes; five
   * letters show up to fifteen parts. */
  var PAGE = 5;
  var SUB_RESULTS = 3; /* best parts shown under each letter */
  var root = app.getAttribute("data-root") || "../";
  var form = app.querySelector("[data-search-form]");
  var input = app.querySelector("[data-search-input]");
  var status = app.querySelector("[data-search-status]");
  var list = app.querySelector("[data-search-results]");
  var more = app.querySelector("[data-search-more]");
  var filters = Array.prototype.slice.call(app.querySelectorAll("[data-search-filter]"));
  var pending = new Map();
  var engine = null, catalog = null, rows = null, last = null, generation = 0, shown = 0;

  window.RASearchLoad = function (key, data) {
    var waiter = pending.get(key);
    if (waiter) { pending.delete(key); waiter(data); }
  };

  function load(key, src) {
    return new Promise(function (resolve, reject) {
      pending.set(key, resolve);
      var el = document.createElement("script");
      el.src = src;
      el.onload = function () {
        el.remove();
        if (pending.delete(key)) reject(new Error(src + " did not hold " + key));
      };
      el.onerror = function () { pending.delete(key); el.remove(); reject(new Error("cannot load " + src)); };
      document.head.appendChild(el);
    });
  }

  var loader = {
    shard: function (key) { return load("shard:" + key, root + "search/shards/" + key + ".js"); },
    letters: function () { return load("letters", root + "search/letters.js"); },
    chunk: function (n) { return load("letters:" + n, root + "search/letters/" + n + ".js"); },
    ids: function (n) { return load("ids:" + n, root + "search/ids/" + n + ".js"); },
    table: function () { return plain(root + "search/t2s.js").then(function () { return window.RA_T2S; }); }
  };
  /* Over http a result's text comes from its letter's page, at the address its link opens
   * (so the browser has it when the reader clicks); a page opened from disk cannot fetch. */
  if (location.protocol !== "file:" && window.fetch && window.DOMParser) {
    loader.letter = function (id) {
      return fetch(root + "replies/" + encodeURIComponent(id) + "/").then(function (response) {
        if (!response.ok) return null;
        return response.text().then(function (html) {
          return readLetter(new DOMParser().parseFromString(html, "text/html"), id);
        });
      });
    };
  }

  function childParagraphs(node) {
    return Array.prototype.filter.call(node.children, function (child) {
      return child.tagName === "P" && !child.classList.contains("adoption");
    }).map(function (child) { return child.textContent; });
  }

  /* A part's row as the index's chunks hold it (payloads.part_row): id, numbering path,
   * heading, adoption phrase, adoption status, body (the phrase, then each paragraph, a line
   * each), read from the letter page's markup (templates/_macros.html section_block). */
  function partRow(node) {
    var section = node.tagName === "SECTION", adoption = null, status = null;
    var phrase = section ? node.querySelector(":scope > p.adoption > .badge") : null;
    if (phrase) {
      adoption = phrase.textContent;
      var badge = /(?:^|\s)badge-(\S+)/.exec(phrase.className);
      status = badge && badge[1] !== "none" ? badge[1] : null;
    }
    var lines = (adoption ? [adoption] : []).concat(childParagraphs(node));
    return [node.id, section ? node.getAttribute("data-path") : "",
      section ? node.getAttribute("data-title") : "", adoption, status, lines.join("\n")];
  }

  /* A letter's data as its chunk holds it ({letter, partColumns, parts}), read from its page:
   * the summary from its search_letter block, the parts from their markup; null when the page
   * has no such block (a theme's own reply.html) or is another letter's. */
  function readLetter(doc, id) {
    var block = doc.querySelector("script[data-search-letter]");
    if (!block) return null;
    var letter = JSON.parse(block.textContent);
    if (letter.id !== id) return null;
    var parts = Array.prototype.map.call(doc.querySelectorAll(".letter-body .part"), partRow);
    return { letter: letter, partColumns: ["id", "path", "title", "adoption", "status", "body"], parts: parts };
  }
  window.RASearchPage = { readLetter: readLetter };

  /* A script that sets a global (search/t2s.js). */
  function plain(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src;
      el.onload = function () { el.remove(); resolve(); };
      el.onerror = function () { el.remove(); reject(new Error("cannot load " + src)); };
      document.head.appendChild(el);
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function say(text, extra) {
    status.textContent = "";
    status.appendChild(el("span", "", text));
    if (extra) status.appendChild(extra);
  }

  function option(select, value, label) {
    var o = el("option", "", label);
    o.value = value;
    select.appendChild(o);
  }

  /* The catalog lists each filter's values; the letters' own (search/letters.js, by slot)
   * are loaded only once a filter is set. */
  function setupFilters() {
    var values = {
      year: catalog.values.year.map(String),
      department: catalog.departments.map(function (d, i) { return String(i); }),
      kind: catalog.values.kind, category: catalog.values.category
    };
    var labels = {
      year: function (v) { return v + "年"; },
      department: function (v) { return catalog.departments[Number(v)]; },
      kind: function (v) { return catalog.labels.kind[v] || v; },
      category: function (v) { return v + "类"; }
    };
    filters.forEach(function (select) {
      var name = select.name;
      var sorted = values[name].slice().sort();
      if (name === "year") sorted.reverse();
      sorted.forEach(function (v) { option(select, v, labels[name](v)); });
    });
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    filters.forEach(function (select) {
      var value = params.get(select.name) || "";
      select.value = Array.prototype.some.call(select.options, function (o) { return o.value === value; }) ? value : "";
    });
  }

  /* The search as a link: a new query is a new history entry (Back returns to the last one). */
  function writeUrl(push) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    filters.forEach(function (select) { if (select.value) params.set(select.name, select.value); });
    var url = "?" + params.toString();
    if (url === location.search || (url === "?" && !location.search)) return;
    try {
      if (push) history.pushState(null, "", url);
      else history.replaceState(null, "", url);
    } catch (err) { /* file:// may refuse: the search still runs */ }
  }

  function filtered() {
    return filters.some(function (select) { return select.value; });
  }

  /* Resolves once the letters' filter values are loaded, if a filter is set. */
  function filterRows() {
    if (!filtered() || rows) return Promise.resolve();
    return loader.letters().then(function (data) {
      var slot = data.letterColumns.indexOf("slot");
      rows = new Map();
      data.letters.forEach(function (row) { rows.set(row[slot], row); });
    });
  }

  /* Whether the letter of this slot passes the filters set. */
  function passes(slot) {
    var row = rows.get(slot);
    if (!row) return false;
    var cells = { year: String(row[1]), department: String(row[2]), kind: row[3], category: row[4] };
    return filters.every(function (select) { return !select.value || cells[select.name] === select.value; });
  }

  function words(items) {
    return items.filter(function (i) { return !i.negated; })
      .map(function (i) { return { text: i.text, tokens: i.tokens }; });
  }

  /* The section's address, as a reader would cite it: ../replies/<id>/#s2-3. Opened from disk a
   * folder address shows a file listing, so there the page file is named. The searched words go
   * along in sessionStorage (see handOver) so the address itself stays clean. */
  function href(id, ref) {
    var cut = ref.indexOf("#");
    var page = location.protocol === "file:" ? "index.html" : "";
    return root + "replies/" + encodeURIComponent(id) + "/" + page +
      (cut < 0 ? "" : "#" + encodeURIComponent(ref.slice(cut + 1)));
  }

  /* Before a result opens (click, Enter or middle click), leave its words for highlight.js. */
  function handOver(event) {
    var link = event.target.closest && event.target.closest("a.result-link");
    if (!link || !last) return;
    window.RAHighlight.handOver(link.href, words(last.items).map(function (w) { return w.text; }));
  }

  function snippet(text, items) {
    var tok = window.RATokenize, marks = window.RAHighlight.ranges(text, words(items), tok);
    var start = marks.length ? Math.max(0, marks[0][0] - 30) : 0;
    var end = Math.min(text.length, start + 140);
    var inside = marks.filter(function (r) { return r[0] >= start && r[1] <= end; })
      .map(function (r) { return [r[0] - start, r[1] - start]; });
    var p = el("p", "result-snippet");
    if (start > 0) p.appendChild(document.createTextNode("…"));
    window.RAHighlight.appendMarked(p, text.slice(start, end), inside);
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  function partLabel(partId, row) {
    if (!partId || partId === "facts") return "基本信息";
    if (partId === "preamble") return "开头";
    if (partId === "closing") return "结尾";
    return row ? (row[1] + " " + row[2]).trim() : partId;
  }

  function partRef(ref) {
    var cut = ref.indexOf("#");
    return cut < 0 ? "" : ref.slice(cut + 1);
  }

  /* A part's badge and snippet, after its link. */
  function appendPart(parent, data, items) {
    var row = data.part;
    if (row && row[4]) {
      var badge = el("span", "badge badge-" + row[4], catalog.labels.adoption[row[4]] || row[3]);
      badge.title = row[3] || "";
      parent.appendChild(badge);
    }
    parent.appendChild(snippet(row ? row[5] || row[2] : data.letter.meta, items));
  }

  /* One letter: its title linking to its best part (that part's label, badge and snippet
   * under it), its facts, then up to SUB_RESULTS - 1 more of its parts, best first. Every
   * link is a part, so the links in order are the parts in order, none twice. */
  function renderGroup(group, data, items) {
    var letter = data[0].letter, best = group.hits[0];
    var li = el("li", "search-result");
    li.setAttribute("data-letter", letter.id);
    var link = el("a", "result-link result-letter");
    link.href = href(letter.id, best.ref);
    link.appendChild(el("span", "result-title", letter.title));
    link.appendChild(el("span", "result-path", partLabel(partRef(best.ref), data[0].part)));
    li.appendChild(link);
    appendPart(li, data[0], items);
    var facts = [letter.docNumber, letter.department, letter.date].filter(Boolean).join(" · ");
    li.appendChild(el("p", "result-meta", facts));
    var shownParts = group.hits.slice(1, SUB_RESULTS);
    if (shownParts.length) {
      var parts = el("ul", "result-parts");
      shownParts.forEach(function (hit, i) {
        var item = el("li", "result-part");
        var sub = el("a", "result-link", partLabel(partRef(hit.ref), data[i + 1].part));
        sub.href = href(letter.id, hit.ref);
        item.appendChild(sub);
        appendPart(item, data[i + 1], items);
        parts.appendChild(item);
      });
      li.appendChild(parts);
    }
    var rest = group.hits.length - SUB_RESULTS;
    if (rest > 0) li.appendChild(el("p", "result-rest", "本件另有 " + rest + " 处"));
    return li;
  }

  function showMore(gen) {
    var page = last.visible.groups(shown, shown + PAGE);
    return Promise.all(page.map(function (group) {
      return Promise.all(group.hits.slice(0, SUB_RESULTS).map(function (hit) {
        return engine.result(hit.ref);
      }));
    })).then(function (data) {
      var texts = [];
      data.forEach(function (list) {
        list.forEach(function (d) { texts.push(d.letter.meta, d.part ? d.part[2] + "\n" + d.part[5] : ""); });
      });
      return engine.ready(texts).then(function () { return data; });
    }).then(function (data) {
      if (gen !== generation) return;
      page.forEach(function (group, i) { list.appendChild(renderGroup(group, data[i], last.items)); });
      shown += page.length;
      more.hidden = shown >= last.visible.letters;
    });
  }

  /* A word of one character: the index holds character pairs, so it is found only where it
   * stands alone (between punctuation or other scripts). */
  function loneCharacter() {
    return last.items.some(function (i) { return !i.negated && i.tokens.length === 1 && i.text.length === 1; });
  }

  function noResults(query, unfiltered) {
    var box = el("div", "search-empty");
    box.appendChild(el("p", "", "没有找到与“" + query + "”相关的内容。"));
    var tips = el("ul", "search-tips");
    if (unfiltered) tips.appendChild(el("li", "", "不加筛选时有 " + unfiltered + " 处结果：请放宽上方的筛选条件。"));
    tips.appendChild(el("li", "", "检查是否有错别字，或换一个说法、用更短的词，如“专精特新”。"));
    tips.appendChild(el("li", "", "用空格分开的几个词必须同时出现，可以减少词数。"));
    tips.appendChild(el("li", "", "去掉引号（整句查找）或减号（排除某词）再试。"));
    if (loneCharacter()) {
      tips.appendChild(el("li", "", "单个汉字难以查找，请至少输入两个字。"));
    }
    box.appendChild(tips);
    return box;
  }

  function render(gen, started) {
    return filterRows().then(function () {
      if (gen === generation) return show(gen, started);
    });
  }

  function show(gen, started) {
    list.textContent = "";
    shown = 0;
    last.visible = filtered() ? last.results.filter(passes) : last.results;
    var query = input.value.trim();
    if (!last.visible.hits) {
      more.hidden = true;
      say("", noResults(query, last.results.hits));
      return finish(gen, started);
    }
    var note = loneCharacter() ? el("span", "search-note", " 单个汉字只找到它单独成词的地方；多输入一个字（如“桥梁”）结果更全。") : null;
    say("找到 " + last.visible.letters + " 件答复，" + last.visible.hits + " 处。", note);
    return showMore(gen).then(function () { finish(gen, started); });
  }

  function finish(gen, started) {
    if (gen !== generation) return;
    app.setAttribute("data-search-state", "done");
    var count = last && last.visible ? last.visible.letters : 0;
    window.RASearchTiming = { ms: performance.now() - started, results: count };
  }

  function run(push) {
    var gen = ++generation, started = performance.now(), query = input.value.trim();
    writeUrl(push);
    app.setAttribute("data-search-state", "busy");
    if (!query) {
      last = null;
      list.textContent = "";
      more.hidden = true;
      say("输入要查找的词，例如：专精特新、低空经济。");
      return finish(gen, started);
    }
    document.title = query + " · " + (document.title.split(" · ").pop());
    say("正在搜索…");
    engine.search(query, { ranked: true }).then(function (result) {
      if (gen !== generation) return;
      last = result;
      if (!result.items.some(function (i) { return !i.negated; })) {
        list.textContent = "";
        more.hidden = true;
        say("请输入要查找的词（只有排除词“-词”时无法搜索）。");
        return finish(gen, started);
      }
      return render(gen, started);
    }).catch(function (err) {
      if (gen !== generation) return;
      say("搜索出错：" + err.message + "。请刷新页面再试；若一直出错，说明网站的搜索索引不完整。");
      app.setAttribute("data-search-state", "error");
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  window.addEventListener("popstate", function () {
    if (!engine) return;
    readUrl();
    run(false);
  });
  filters.forEach(function (select) {
    select.addEventListener("change", function () {
      writeUrl();
      if (last && engine) {
        var gen = ++generation;
        app.setAttribute("data-search-state", "busy"); /* "done" again once redrawn */
        render(gen, performance.now());
      }
    });
  });
  more.addEventListener("click", function () { showMore(generation); });
  list.addEventListener("click", handOver);
  list.addEventListener("auxclick", handOver);

  load("catalog", root + "search/catalog.js").then(function (data) {
    catalog = data;
    engine = window.RASearch.createEngine(catalog, loader);
    setupFilters();
    readUrl();
    run(false);
  }).catch(function () {
    say("搜索索引未能加载。若是从本地文件打开，请确认整个网站文件夹（含 search/ 目录）都已复制；" +
        "也可在网站文件夹中运行 replyarchive serve 后用浏览器访问。");
    app.setAttribute("data-search-state", "error");
  });
})();
