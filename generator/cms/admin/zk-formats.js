/* How the form editor reads and writes our files (Decap custom formats).
 *
 * Decap opens a file into a mapping of fields and writes the mapping back. Our files are plain
 * YAML / Markdown with YAML front matter, but three of their shapes are not mappings a form can
 * hold: the center registry is a top-level list, a center's `region` may be a bare province,
 * a round's `scores` and the `figures` of stories and results are mappings keyed by names (the
 * generated config lists those fields: setPairs). Each format turns those into form shapes on
 * reading and back on writing, so a file opened and saved unchanged keeps its meaning (tested in
 * tests/test_cms.py by running this file under Node). YAML comments are not kept.
 *
 * Dates stay strings (CORE_SCHEMA): `2024-09-27` is written back exactly as it was read.
 * Used by the admin page (with js-yaml loaded as a global) and by the tests (Node, require).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("js-yaml"));
  else root.ZK_FORMATS = factory(root.jsyaml);
})(this, function (jsyaml) {
  "use strict";
  var KIND = "_zk_kind"; // marks a round vs. a facts file, so a collection's filter can tell them apart
  var SEARCH = "_zk_search"; // a center's search terms (never written): see `terms` below
  // id → search terms of each center, from the generated config (load/center_names.search_terms).
  var terms = {};
  // Fields holding a mapping {name: number}: the form edits a list of {key, value} pairs.
  var pairs = {};
  var SCHEMA = jsyaml.CORE_SCHEMA;

  function toPairs(value) {
    if (Array.isArray(value)) return value.map(toPairs);
    if (!isMap(value)) return value;
    var out = {};
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      out[key] = pairs[key] && isMap(v)
        ? Object.keys(v).map(function (k) { return { key: k, value: v[k] }; })
        : toPairs(v);
    });
    return out;
  }

  function isPairList(v) {
    return Array.isArray(v) && v.every(function (p) {
      return isMap(p) && Object.keys(p).every(function (k) { return k === "key" || k === "value"; });
    });
  }

  function fromPairs(value) {
    if (Array.isArray(value)) return value.map(fromPairs);
    if (!isMap(value)) return value;
    var out = {};
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      if (pairs[key] && isPairList(v)) {
        var m = {};
        v.forEach(function (p) { if (p.key !== undefined && p.key !== null && p.key !== "") m[p.key] = p.value; });
        if (Object.keys(m).length) out[key] = m; // no pairs: the field's default, as if never written
      } else out[key] = fromPairs(v);
    });
    return out;
  }

  function load(text) {
    var data = jsyaml.load(String(text).replace(/^\uFEFF/, ""), { schema: SCHEMA });
    return data === undefined || data === null ? {} : data;
  }

  function dump(data) {
    return jsyaml.dump(data, { schema: SCHEMA, lineWidth: -1, noRefs: true, sortKeys: false });
  }

  function isMap(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value === undefined ? {} : value));
  }

  function clean(value) {
    // Decap leaves empty strings and nulls for fields an editor emptied; an absent key means the same.
    if (Array.isArray(value)) return value.map(clean);
    if (!isMap(value)) return value;
    var out = {};
    Object.keys(value).forEach(function (key) {
      var v = value[key];
      if (key.indexOf("_zk_") === 0 || v === undefined || v === null || v === "") return;
      out[key] = clean(v);
    });
    return out;
  }

  var center = {
    read: function (c) {
      if (!isMap(c)) return c;
      if (typeof c.region === "string") c.region = { province: c.region };
      // One string per center for the picker: Decap's search over a list nested in a list
      // (`centers.*.aliases.*`) loses its place once the outer list is filtered, and finds nothing.
      c[SEARCH] = (terms[c.id] || [c.id, c.name, c.short_name].concat(c.aliases || [])).join(" ");
      return c;
    },
    write: function (c) {
      // The short form stays short: a province alone is written `region: <province>`.
      if (isMap(c) && isMap(c.region) && Object.keys(c.region).length === 1 && c.region.province)
        c.region = c.region.province;
      return c;
    },
  };

  var shapes = {
    yaml: { read: function (d) { return d; }, write: function (d) { return d; } },
    centers: {
      read: function (d) {
        var list = Array.isArray(d) ? d : isMap(d) && Array.isArray(d.centers) ? d.centers : [];
        return { centers: list.map(center.read) };
      },
      // Written back as the list every registry has always been (docs/CONTENT.md).
      write: function (d) { return (d.centers || []).map(center.write); },
    },
    series: {
      // 发文机关标志: one line written as a string, or a list (a line each); the form edits a list.
      read: function (d) {
        if (typeof d.issuer_mark === "string") {
          d.issuer_mark = [d.issuer_mark];
          d._zk_one_line = true;
        }
        return d;
      },
      write: function (d) {
        if (d._zk_one_line && Array.isArray(d.issuer_mark) && d.issuer_mark.length === 1) d.issuer_mark = d.issuer_mark[0];
        return d;
      },
    },
    round: {
      read: function (d) {
        d[KIND] = "facts" in d ? "facts" : "round";
        if (isMap(d.scheme) && Array.isArray(d.scheme.areas))
          d.scheme.areas = d.scheme.areas.map(function (a) { return typeof a === "string" ? { name: a } : a; });
        return d;
      },
      write: function (d) {
        if (isMap(d.scheme) && Array.isArray(d.scheme.areas))
          d.scheme.areas = d.scheme.areas.map(function (a) {
            return isMap(a) && Object.keys(a).length === 1 && "name" in a ? a.name : a;
          });
        return d;
      },
    },
  };
  shapes.facts = shapes.round;

  function yamlFormat(shape) {
    return {
      fromFile: function (text) { return toPairs(shapes[shape].read(load(text))); },
      toFile: function (data) { return dump(clean(shapes[shape].write(fromPairs(copy(data))))); },
    };
  }

  var FRONT = /^\uFEFF?---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/;
  var markdown = {
    fromFile: function (text) {
      var m = FRONT.exec(String(text));
      if (!m) return { body: String(text) };
      var data = toPairs(load(m[1]));
      data.body = m[2].replace(/^\r?\n/, "");
      return data;
    },
    toFile: function (data) {
      var d = clean(fromPairs(copy(data)));
      var body = d.body || "";
      delete d.body;
      return "---\n" + dump(d) + "---\n\n" + body.replace(/\s*$/, "\n");
    },
  };

  // A 点评 is named after its story: the form picks the story's slug within the issue (`_zk_issue`),
  // the file says `story: <series>/<issue>/<slug>` (generator/cms/config.py commentary_collections).
  var commentary = {
    fromFile: function (text) {
      var d = markdown.fromFile(text);
      var m = /^(.+)\/([^/]+)$/.exec(typeof d.story === "string" ? d.story : "");
      if (m) {
        d._zk_issue = m[1];
        d.story = m[2];
      }
      return d;
    },
    toFile: function (data) {
      var d = copy(data);
      if (d._zk_issue && typeof d.story === "string" && d.story.indexOf("/") < 0) d.story = d._zk_issue + "/" + d.story;
      // story first, as editors write it (the form lists the issue before it)
      var ordered = { story: d.story };
      Object.keys(d).forEach(function (k) { if (k !== "story") ordered[k] = d[k]; });
      return markdown.toFile(ordered);
    },
  };

  return {
    KIND: KIND,
    setTerms: function (byId) { terms = byId || {}; },
    setPairs: function (names) {
      pairs = {};
      (names || []).forEach(function (n) { pairs[n] = true; });
    },
    formats: {
      "zk-yaml": yamlFormat("yaml"),
      "zk-centers": yamlFormat("centers"),
      "zk-series": yamlFormat("series"),
      "zk-round": yamlFormat("round"),
      "zk-facts": yamlFormat("facts"),
      "zk-md": markdown,
      "zk-commentary": commentary,
    },
  };
});
