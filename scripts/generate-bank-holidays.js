#!/usr/bin/env node
'use strict';
/**
 * Writes src/calendar/bank-holidays-ew.json: England and Wales bank holidays (substitute days
 * included) for FIRST..LAST, taken from the maintained `date-holidays` package (GB, region ENG).
 * The workflow sandbox then reads a small table instead of loading the whole library into every
 * workflow. tests/unit/bank-holidays.test.ts checks the table against the library; after upgrading
 * date-holidays, run `npm run holidays:generate`.
 */
const fs = require('node:fs');
const path = require('node:path');
const Holidays = require('date-holidays');

const FIRST = 2000;
const LAST = 2075;
const hd = new Holidays('GB', 'ENG');
const days = {};
for (let year = FIRST; year <= LAST; year++) {
  for (const h of hd.getHolidays(year)) if (h.type === 'public') days[h.date.slice(0, 10)] = h.name;
}
const version = require('date-holidays/package.json').version;
const out = { source: `date-holidays ${version} (GB, ENG, type public)`, first: FIRST, last: LAST, days };
const file = path.resolve(__dirname, '../src/calendar/bank-holidays-ew.json');
fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${Object.keys(days).length} bank holidays ${FIRST}–${LAST} to ${path.relative(process.cwd(), file)}`);
