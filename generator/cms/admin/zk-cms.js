/* The admin page: registers our file formats (zk-formats.js) and the story preview, then starts
 * Decap with the generated config (config.json beside this file). Nothing is loaded from
 * outside this host. */
(function () {
  "use strict";
  var CMS = window.CMS;
  Object.keys(window.ZK_FORMATS.formats).forEach(function (name) {
    var ext = name === "zk-md" || name === "zk-commentary" ? "md" : "yml";
    CMS.registerCustomFormat(name, ext, window.ZK_FORMATS.formats[name]);
  });

  // Uploads: only the picture types `check` accepts (load/images.py, listed by the config), under an
  // ASCII name (Decap would turn a Chinese one into dashes), and never over an existing picture:
  // Decap asks before replacing a file of the same name; the answer here is always no.
  var imageExtensions = [];

  function uploadName(file, now) {
    var dot = file.name.lastIndexOf(".");
    var ext = file.name.slice(dot + 1).toLowerCase();
    var stem = file.name.slice(0, dot).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (!/[a-z0-9]/.test(stem)) {
      var pad = function (n) { return (n < 10 ? "0" : "") + n; };
      stem = "image-" + now.getFullYear() + pad(now.getMonth() + 1) + pad(now.getDate()) + "-" +
        pad(now.getHours()) + pad(now.getMinutes()) + pad(now.getSeconds());
    }
    return stem + "." + ext;
  }

  function acceptable(file) {
    var ext = file.name.slice(file.name.lastIndexOf(".") + 1).toLowerCase();
    var mime = { jpg: "image/jpeg", jpeg: "image/jpeg" }[ext] || "image/" + ext;
    return file.name.indexOf(".") > 0 && imageExtensions.indexOf("." + ext) >= 0 && file.type === mime;
  }

  window.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files || !input.files.length || input.dataset.zkRenamed) return;
    var files = Array.prototype.slice.call(input.files);
    var refused = files.filter(function (f) { return !acceptable(f); });
    if (refused.length) {
      event.stopImmediatePropagation();
      input.value = "";
      window.alert("“" + refused[0].name + "”不能上传：只能用 " +
        imageExtensions.map(function (e) { return e.slice(1).toUpperCase(); }).join("、") +
        " 图片（扩展名要与图片格式一致）。");
      return;
    }
    var renamed = new DataTransfer();
    var now = new Date();
    files.forEach(function (f) {
      renamed.items.add(new File([f], uploadName(f, now), { type: f.type, lastModified: f.lastModified }));
    });
    input.files = renamed.files;
  }, true);

  var decapConfirm = window.confirm.bind(window);
  window.confirm = function (message) {
    var taken = /^(.*) already exists\. Do you want to replace it\?$/.exec(String(message));
    if (!taken) return decapConfirm(message);
    window.alert("images 文件夹里已经有一张“" + taken[1] + "”（同一期的稿件共用这个文件夹）。为了不覆盖它，" +
      "这张图片没有上传：请把图片文件改个名字再上传；要用已有的那张，直接在列表里选中它。");
    return false;
  };

  fetch("config.json", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      var centers = cfg.zk_centers || {};
      window.ZK_FORMATS.setTerms(cfg.zk_center_terms);
      window.ZK_FORMATS.setPairs(cfg.zk_pairs);
      imageExtensions = cfg.zk_image_extensions || [];
      delete cfg.zk_centers;
      delete cfg.zk_center_terms;
      delete cfg.zk_pairs;
      delete cfg.zk_image_extensions;
      var h = window.h, createClass = window.createClass;
      // The story and the 点评 as the site shows them (render/templates: story.md.j2, macros.j2),
      // with the site's own stylesheet: byline, headline, body with its bold lead-ins; the 点评 box.
      var StoryPreview = createClass({
        render: function () {
          var e = this.props.entry;
          var center = e.getIn(["data", "center"]);
          return h("article", { className: "zk-story md-typeset" },
            h("p", { className: "zk-byline" }, (centers[center] || center || "") + "——"),
            h("h1", { className: "zk-headline" }, e.getIn(["data", "title"]) || ""),
            h("div", { className: "zk-body" }, this.props.widgetFor("body")));
        },
      });
      var CommentaryPreview = createClass({
        render: function () {
          var e = this.props.entry;
          var author = e.getIn(["data", "author"]);
          return h("aside", { className: "zk-commentary md-typeset" },
            h("p", { className: "zk-commentary__label" }, "点评："),
            this.props.widgetFor("body"),
            author ? h("p", { className: "zk-commentary__author" }, "（" + author + "）") : null);
        },
      });
      cfg.collections.forEach(function (c) {
        if (c.name === "stories" || c.name.indexOf("stories-") === 0) CMS.registerPreviewTemplate(c.name, StoryPreview);
        if (c.name === "commentary" || c.name.indexOf("commentary-") === 0)
          CMS.registerPreviewTemplate(c.name, CommentaryPreview);
      });
      CMS.registerPreviewStyle("../assets/zk.css");
      CMS.init({ config: cfg });
    });
})();
