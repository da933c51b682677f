// Search page: a small UI on Pagefind's JS API, loaded only on /search/ so other pages cost nothing.
//
// Chinese queries are matched on character bigrams (see generator/search/terms.py): each indexed
// page carries its Chinese text as encoded bigram terms, and encodeQuery() below turns the query
// into the same terms, so no word segmenter (the indexer's or the browser's) can split a place
// name or a medical term differently on the two sides. encodeQuery must stay in step with
// terms.py (prefix "x", 3 base-36 digits per character from U+3400). A page's indexed text ends
// with the word INDEX_ONLY, after which come what is searched but never shown: the encoded terms
// and the page furniture (bylines, mastheads, download links); excerpts come from the text before it.
(function () {
  "use strict";
  var mount = document.getElementById("zk-search");
  if (!mount) return;
  var bundle = mount.getAttribute("data-bundle");
  var PAGE = 10;
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
  var CJK = /[\u3400-\u9fff]+/g;
  var INDEX_ONLY = "zkindexonly";  // terms.py INDEX_ONLY
  var TERM_RUN = /(?:^|[\s\u200b]+)x[0-9a-z]{3}(?:[0-9a-z]{3})?(?:[\s\u200b]+x[0-9a-z]{3}(?:[0-9a-z]{3})?)+(?=[\s\u200b]|$)/g;

  function code(ch) {
    var n = ch.charCodeAt(0) - 0x3400;
    return DIGITS[Math.floor(n / 1296)] + DIGITS[Math.floor(n / 36) % 36] + DIGITS[n % 36];
  }

  // 质控组 → "xhm09ev x9evero"; a single character → "xhm0" (matches every bigram it starts).
  function encodeQuery(query) {
    var terms = [];
    var rest = query.replace(CJK, function (run) {
      var codes = run.split("").map(code);
      if (codes.length === 1) terms.push("x" + codes[0]);
      for (var i = 0; i + 1 < codes.length; i++) terms.push("x" + codes[i] + codes[i + 1]);
      return " ";
    });
    rest.split(/[\s\p{P}\p{S}]+/u).forEach(function (word) { if (word) terms.push(word.toLowerCase()); });
    return terms.join(" ");
  }

  window.zkEncodeQuery = encodeQuery;  // for tests: must agree with search_terms.py

  // The readable text of a result: what comes before INDEX_ONLY, without the title (shown above
  // the excerpt already), stray term runs or Pagefind's word marks.
  function readable(content, title) {
    var cut = content.indexOf(INDEX_ONLY);
    var text = (cut < 0 ? content : content.slice(0, cut)).trim();
    if (title && text.indexOf(title) === 0) text = text.slice(title.length).replace(/^[.。\s]+/, "");
    return text.replace(TERM_RUN, " ").replace(/\u200b/g, "").replace(/\s+/g, " ").trim()
      .replace(/([\u3400-\u9fff])\. /g, "$1。");  // Pagefind ends unterminated blocks with ". "
  }

  function excerpt(text, query) {
    var parts = query.match(/[\u3400-\u9fff]+|[^\s\u3400-\u9fff]+/g) || [];
    var at = -1, hit = "";
    parts.sort(function (a, b) { return b.length - a.length; });
    for (var i = 0; i < parts.length && at < 0; i++) {
      at = text.toLowerCase().indexOf(parts[i].toLowerCase());
      hit = parts[i];
    }
    var start = Math.max(0, at - 40);
    var piece = text.slice(start, start + 120);
    var node = document.createElement("p");
    node.className = "zk-result__excerpt";
    if (start > 0) node.appendChild(document.createTextNode("…"));
    var local = at < 0 ? -1 : at - start;
    if (local < 0) {
      node.appendChild(document.createTextNode(piece));
    } else {
      node.appendChild(document.createTextNode(piece.slice(0, local)));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(local, local + hit.length);
      node.appendChild(mark);
      node.appendChild(document.createTextNode(piece.slice(local + hit.length)));
    }
    if (start + 120 < text.length) node.appendChild(document.createTextNode("…"));
    return node;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  var form = el("form", "zk-search__form");
  // Not a second search landmark: the header's labelled form is the page's one (axe landmark-unique).
  var label = el("label", "zk-visually-hidden", "搜索简报、通报、质控中心");
  label.htmlFor = "zk-search-input";
  var input = el("input", "zk-search__input");
  input.id = "zk-search-input";
  input.type = "search";
  input.name = "q";
  input.autocomplete = "off";
  input.placeholder = "输入关键词，如：消毒供应、窒息复苏、PIVAS";
  var button = el("button", "zk-search__button", "搜索");
  button.type = "submit";
  form.append(label, input, button);
  var status = el("p", "zk-search__status");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  var list = el("ol", "zk-search__results");
  var more = el("button", "zk-search__more", "更多结果");
  more.type = "button";
  more.hidden = true;
  mount.append(form, status, list, more);

  var pagefind = null;
  var current = { results: [], shown: 0, query: "", seq: 0 };

  function engine() {
    if (!pagefind) {
      var base = new URL(bundle, window.location.href);
      // A large site is indexed in parts (generator/search/pagefind.py): the first bundle lists
      // the others, which are merged into one search (they reuse the first bundle's wasm).
      var parts = fetch(base.href + "zk-parts.json").then(function (r) {
        return r.ok ? r.json() : { parts: [] };
      }).catch(function () { return { parts: [] }; });
      pagefind = import(base.href + "pagefind.js").then(function (pf) {
        // Result URLs are site-absolute at index time; the site may live under a sub-path.
        var options = { baseUrl: new URL("..", base).pathname };
        return pf.options(options).then(function () { return parts; }).then(function (list) {
          return Promise.all((list.parts || []).map(function (part) {
            return pf.mergeIndex(new URL(part, base).pathname, options);
          }));
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function showMore() {
    var batch = current.results.slice(current.shown, current.shown + PAGE);
    var seq = current.seq;
    current.shown += batch.length;
    more.hidden = true;
    mount.setAttribute("data-state", "loading");
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (seq !== current.seq) return;
      pages.forEach(function (page) {
        var item = el("li", "zk-result");
        var link = el("a", "zk-result__title", (page.meta && page.meta.title) || page.url);
        link.href = page.url;
        link.setAttribute("data-result-url", page.url);
        var f = page.filters || {};
        // 期次: the issue as it prints (series name and period), when the page belongs to one.
        var period = page.meta && page.meta["期次"];
        var meta = [f["类型"], f["质控中心"], period || (f["年份"] && f["年份"] + "年")].filter(Boolean).join(" · ");
        item.append(link);
        if (meta) item.append(el("p", "zk-result__meta", meta));
        item.append(excerpt(readable(page.content || "", page.meta && page.meta.title), current.query));
        list.append(item);
      });
      more.hidden = current.shown >= current.results.length;
      mount.setAttribute("data-state", "done");
    });
  }

  function search(query) {
    query = query.trim();
    var seq = ++current.seq;
    list.textContent = "";
    more.hidden = true;
    if (!query) {
      status.textContent = "";
      mount.setAttribute("data-state", "done");
      return;
    }
    mount.setAttribute("data-state", "loading");
    status.textContent = "正在搜索…";
    engine().then(function (pf) {
      return pf.search(encodeQuery(query));
    }).then(function (found) {
      if (seq !== current.seq) return;
      current = { results: found ? found.results : [], shown: 0, query: query, seq: seq };
      status.textContent = current.results.length
        ? "找到 " + current.results.length + " 条与“" + query + "”相关的结果"
        : "没有找到与“" + query + "”相关的内容。可以换一个词，或从首页按年份和期号浏览。";
      return current.results.length ? showMore() : mount.setAttribute("data-state", "done");
    }).catch(function (err) {
      status.textContent = "搜索暂时不可用：" + err;
      mount.setAttribute("data-state", "error");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    search(input.value);
  });
  more.addEventListener("click", showMore);

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  mount.setAttribute("data-state", "idle");
  if (initial) search(initial);
  else input.focus();
})();
