// Reads a JUnit XML report with junit-report-merger (the parser GitHub and GitLab users merge reports with) and prints
// the merged totals and every test case as JSON: node junit.js REPORT.xml
const { mergeFiles } = require('junit-report-merger');
const fs = require('fs');
const os = require('os');
const path = require('path');
(async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jrm-')), 'merged.xml');
  await mergeFiles(out, [process.argv[2]]);
  const { create } = require('xmlbuilder2');
  const merged = create(fs.readFileSync(out, 'utf8')).end({ format: 'object' });
  console.log(JSON.stringify(merged));
})().catch(e => { console.error(String(e && e.stack || e)); process.exit(1); });
