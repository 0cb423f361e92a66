#!/usr/bin/env node
/**
 * Writes the README's "Standards on file" section from the rule files (npm run rules:docs), between
 * the markers <!-- rules:start --> and <!-- rules:end -->. tests/unit/readme-rules.test.ts fails
 * when the README and the files disagree.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { rulesMarkdown } = require('../dist/src/app/rules');

const readme = path.join(__dirname, '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} section`);
writeFileSync(readme, `${text.slice(0, a + start.length)}\n\n${rulesMarkdown()}\n${text.slice(b)}`);
console.log('README.md: the standards on file written from the rule files');
