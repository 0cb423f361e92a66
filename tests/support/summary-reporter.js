'use strict';
/**
 * After jest's own summary: a table of the run by project (files, tests, seconds: the wall time from
 * the project's first file starting to its last ending), then one plain closing line,
 * "N passed, N failed, N skipped", always the last line (CI reads it).
 */
class SummaryReporter {
  constructor() {
    /** @type {Map<string, { files: number, tests: number, start: number, end: number }>} */
    this.projects = new Map();
  }

  onTestResult(test, result) {
    const name = projectName(test.context.config.displayName);
    const p = this.projects.get(name) ?? { files: 0, tests: 0, start: Infinity, end: 0 };
    p.files += 1;
    p.tests += result.numPassingTests + result.numFailingTests + result.numPendingTests + result.numTodoTests;
    const { start, end } = result.perfStats ?? {};
    if (start) p.start = Math.min(p.start, start);
    if (end) p.end = Math.max(p.end, end);
    this.projects.set(name, p);
  }

  onRunComplete(_contexts, results) {
    if (this.projects.size > 0) {
      const rows = [...this.projects].map(([name, p]) => [
        name,
        String(p.files),
        String(p.tests),
        (p.end > p.start ? (p.end - p.start) / 1000 : 0).toFixed(1),
      ]);
      const head = ['project', 'files', 'tests', 'seconds'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
      process.stdout.write(`\n${[head, ...rows].map(line).join('\n')}\n`);
    }
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped\n`,
    );
  }
}

function projectName(displayName) {
  if (!displayName) return 'tests';
  return typeof displayName === 'string' ? displayName : displayName.name;
}

module.exports = SummaryReporter;
