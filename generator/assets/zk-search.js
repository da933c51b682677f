// Search page: Pagefind's UI, loaded only on /search/ so other pages cost nothing extra.
(function () {
  var mount = document.getElementById("zk-search");
  if (!mount) return;
  var bundle = mount.getAttribute("data-bundle");
  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);
  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    var ui = new PagefindUI({
      element: "#zk-search",
      bundlePath: bundle,
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      translations: { placeholder: "输入关键词，如：消毒供应、窒息复苏、PIVAS", zero_results: "没有找到与“[SEARCH_TERM]”相关的内容" }
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  };
  document.head.appendChild(script);
})();
