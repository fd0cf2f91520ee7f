// `npm run selftest`: prints the report the self-test E2E saved; its last line is "N passed, M failed".
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const reportPath = path.join(__dirname, '..', '..', 'dist', 'self-test-report.txt');
if (!existsSync(reportPath)) {
  console.error('The self-test did not get as far as a report: see the jest output above.');
  process.exit(1);
}
const report = readFileSync(reportPath, 'utf8').trim();
console.log(report);
process.exit(/ 0 failed$/.test(report) ? 0 : 1);
