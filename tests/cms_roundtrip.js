// Opens and saves files as the form editor does (generator/cms/admin/zk-formats.js):
// argv: zk-formats.js, JSON list of the mapping fields; stdin: JSON [[format, path], ...]; stdout: JSON {path: {text, data}} — the text written back
// and the mapping the form would show (tests/test_cms.py).
const fs = require("fs");
const zk = require(process.argv[2]);
zk.setTerms({});
zk.setPairs(JSON.parse(process.argv[3]));
const jobs = JSON.parse(fs.readFileSync(0, "utf8"));
const out = {};
for (const [format, path] of jobs) {
  const f = zk.formats[format];
  const data = f.fromFile(fs.readFileSync(path, "utf8"));
  out[path] = { data: JSON.parse(JSON.stringify(data)), text: f.toFile(data) };
}
process.stdout.write(JSON.stringify(out));
