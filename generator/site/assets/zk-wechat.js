// 「复制到公众号」: puts a document's 公众号 article (its wechat.html, made by generator/print/wechat.py)
// on the clipboard as HTML and as plain text, for pasting into the 公众号 editor.
//
// The button is hidden until this script finds a clipboard that takes HTML (ClipboardItem), so a
// reader never meets a button that cannot work. The article is fetched from this site only: an
// address of another host is refused. The result is announced in the button's status region.
(function () {
  "use strict";
  var BLOCKS = /^(P|H[1-6]|LI|TR|SECTION|FIGURE|FIGCAPTION|BLOCKQUOTE|TABLE|UL|OL|DIV)$/;

  function plainText(node) {
    var out = "";
    (function walk(n) {
      if (n.nodeType === 3) { out += n.nodeValue; return; }
      if (n.nodeType !== 1) return;
      if (n.tagName === "BR") { out += "\n"; return; }
      var block = BLOCKS.test(n.tagName);
      if (block) out += "\n";
      for (var c = n.firstChild; c; c = c.nextSibling) walk(c);
      if (n.tagName === "TD" || n.tagName === "TH") out += "\t";
      if (block) out += "\n";
    })(node);
    return out.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }

  function article(address) {
    var url = new URL(address, window.location.href);
    if (url.origin !== window.location.origin) return Promise.reject(new Error("foreign"));
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (text) {
      var body = new DOMParser().parseFromString(text, "text/html").body;
      return { html: body.innerHTML.trim(), text: plainText(body) };
    });
  }

  function setUp(button) {
    var holder = button.parentNode;
    var status = holder.querySelector("[role=status]");
    holder.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "正在复制……";
      var got = article(button.getAttribute("data-zk-wechat"));
      // The items are promises, created in the click itself: browsers allow clipboard writes
      // only during the user's gesture.
      var item = new window.ClipboardItem({
        "text/html": got.then(function (a) { return new Blob([a.html], { type: "text/html" }); }),
        "text/plain": got.then(function (a) { return new Blob([a.text], { type: "text/plain" }); }),
      });
      navigator.clipboard.write([item]).then(function () {
        status.textContent = "已复制，可到公众号编辑器里粘贴";
      }, function () {
        status.textContent = "复制失败：请允许本网站使用剪贴板后重试";
      });
    });
  }

  if (!(window.ClipboardItem && navigator.clipboard && navigator.clipboard.write && window.isSecureContext)) return;
  var buttons = document.querySelectorAll("button[data-zk-wechat]");
  for (var i = 0; i < buttons.length; i++) setUp(buttons[i]);
})();
