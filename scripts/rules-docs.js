#!/usr/bin/env node
/**
 * Writes the "Standards on file" section of docs/rules.md from the rule files (npm run rules:docs),
 * between the markers <!-- rules:start --> and <!-- rules:end -->. tests/unit/rules-docs.test.ts
 * fails when docs/rules.md and the files disagree.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { rulesMarkdown } = require('../dist/src/app/rules');

const doc = path.join(__dirname, '..', 'docs', 'rules.md');
const text = readFileSync(doc, 'utf8');
const start = '<!-- rules:start -->';
const end = '<!-- rules:end -->';
const a = text.indexOf(start);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`docs/rules.md has no ${start} … ${end} section`);
writeFileSync(doc, `${text.slice(0, a + start.length)}\n\n${rulesMarkdown()}\n${text.slice(b)}`);
console.log('docs/rules.md: the standards on file written from the rule files');
