/* The admin page: registers our file formats (zk-formats.js) and the story preview, then starts
 * Decap with the generated config (config.json beside this file). Nothing is loaded from
 * outside this host. */
(function () {
  "use strict";
  var CMS = window.CMS;
  Object.keys(window.ZK_FORMATS.formats).forEach(function (name) {
    var ext = name === "zk-md" ? "md" : "yml";
    CMS.registerCustomFormat(name, ext, window.ZK_FORMATS.formats[name]);
  });

  fetch("config.json", { cache: "no-store" })
    .then(function (r) { return r.json(); })
    .then(function (cfg) {
      var centers = cfg.zk_centers || {};
      window.ZK_FORMATS.setTerms(cfg.zk_center_terms);
      window.ZK_FORMATS.setPairs(cfg.zk_pairs);
      delete cfg.zk_centers;
      delete cfg.zk_center_terms;
      delete cfg.zk_pairs;
      var h = window.h, createClass = window.createClass;
      // The story as the site shows it: byline, headline, body with its bold lead-ins.
      var StoryPreview = createClass({
        render: function () {
          var e = this.props.entry;
          var center = e.getIn(["data", "center"]);
          return h("article", { className: "zk-story md-typeset" },
            h("p", { className: "zk-byline" }, (centers[center] || center || "") + "——"),
            h("h1", {}, e.getIn(["data", "title"]) || ""),
            h("div", { className: "zk-story-body" }, this.props.widgetFor("body")));
        },
      });
      cfg.collections.forEach(function (c) {
        if (c.name === "stories" || c.name.indexOf("stories-") === 0) CMS.registerPreviewTemplate(c.name, StoryPreview);
      });
      CMS.registerPreviewStyle("../assets/zk.css");
      CMS.init({ config: cfg });
    });
})();
