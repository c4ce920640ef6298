/* replyarchive: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  function toast(message) {
    var box = document.querySelector("[data-toast]");
    if (!box) return;
    box.textContent = message;
    window.clearTimeout(toast.timer);
    toast.timer = window.setTimeout(function () { box.textContent = ""; }, 2500);
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  }

  /* Permalink marks: go to the part (address bar and :target follow) and copy the full address. */
  function setupPermalinks() {
    document.querySelectorAll("[data-permalink]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        var hash = link.getAttribute("href");
        if (location.hash !== hash) location.hash = hash;
        copyText(location.href, function (ok) {
          toast(ok ? "已复制本部分链接" : "本部分链接已显示在地址栏");
        });
      });
    });
    document.querySelectorAll("[data-copy-citation]").forEach(function (button) {
      var citation = button.closest(".citation-block").querySelector("[data-citation]");
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(citation.textContent.trim(), function (ok) {
          toast(ok ? "已复制引用" : "请选中引用文字后复制");
        });
      });
    });
  }

  /* The id an address's fragment names: decoded, or as written when it is not valid
     percent-encoding (a hand-edited or cut-off link such as #%E0%A4%A). */
  function fragmentId(hash) {
    var raw = hash.replace(/^#/, "");
    try {
      return decodeURIComponent(raw);
    } catch (error) {
      return raw;
    }
  }

  /* Arrived at (or moved to) a part: offer a citation of exactly that part. */
  function updatePartCitation() {
    var block = document.querySelector("[data-part-citation]");
    if (!block) return;
    var id = fragmentId(location.hash);
    var part = id ? document.getElementById(id) : null;
    if (!part || !part.hasAttribute("data-path")) {
      block.hidden = true;
      return;
    }
    block.querySelector("[data-citation]").textContent = block.getAttribute("data-prefix") + "，" +
      part.getAttribute("data-path") + part.getAttribute("data-title") + "。" +
      block.getAttribute("data-url") + "#" + id;
    block.hidden = false;
  }

  /* The all-replies table: filter by words and columns, sort by clicking a heading. */
  function setupTable() {
    var form = document.querySelector("[data-table-filter]");
    var table = document.querySelector("table[data-sortable]");
    if (!form || !table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector("[data-filter-count]");
    var text = form.querySelector("[data-filter-text]");
    var selects = form.querySelectorAll("[data-filter-col]");
    form.hidden = false;

    function apply() {
      var words = text.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var hay = row.textContent.toLowerCase();
        var ok = words.every(function (w) { return hay.indexOf(w) !== -1; });
        selects.forEach(function (sel) {
          if (sel.value && row.getAttribute("data-" + sel.getAttribute("data-filter-col")) !== sel.value) ok = false;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 件";
    }
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();

    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[column];
          return cell.getAttribute("data-sort") || cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          var order = key(a).localeCompare(key(b), "zh-CN", { numeric: true });
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  setupPermalinks();
  setupTable();
  updatePartCitation();
  window.addEventListener("hashchange", updatePartCitation);
})();
