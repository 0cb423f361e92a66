/**
 * The CSV the overdue board downloads as: every cell quoted, quotes doubled, CRLF rows, and a cell a
 * spreadsheet would run as a formula (= + - @, tab, carriage return first) opened as text instead.
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { neutraliseFormula, toCsv, type CsvValue } from '../../src/app/csv';

test('every cell quoted (empty ones too), quotes doubled, commas and line breaks kept inside the quotes, CRLF after every row', () => {
  expect(
    toCsv([
      ['ULN', 'Apprentice', 'Note'],
      ['1234567890', 'Cleo "Quoted" Marchetti', ''],
      ['0987654321', 'Smith, Jones', 'two\nlines'],
    ]),
  ).toBe(
    '"ULN","Apprentice","Note"\r\n' +
      '"1234567890","Cleo ""Quoted"" Marchetti",""\r\n' +
      '"0987654321","Smith, Jones","two\nlines"\r\n',
  );
  expect(toCsv([])).toBe('');
});

test('numbers and booleans as String() writes them', () => {
  expect(toCsv([[16, 0, 2.5, true, false]])).toBe('"16","0","2.5","true","false"\r\n');
});

test.each([
  ['=HYPERLINK("http://x.example","click")', `"'=HYPERLINK(""http://x.example"",""click"")"`],
  ['+1+1', `"'+1+1"`],
  ['-2+3', `"'-2+3"`],
  ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
  ['\t=1', `"'\t=1"`],
  ['\r=1', `"'\r=1"`],
  ['a=1', '"a=1"'],
  [' =1', '" =1"'],
])('a formula cell opens as text: %j', (cell, written) => {
  expect(toCsv([[cell]])).toBe(`${written}\r\n`);
});

test('a negative number is neutralised like any cell starting with -', () => {
  expect(toCsv([[-3]])).toBe(`"'-3"\r\n`);
});

test('neutraliseFormula: an apostrophe before = + - @ tab CR, nothing else changes', () => {
  for (const first of ['=', '+', '-', '@', '\t', '\r']) expect(neutraliseFormula(`${first}x`)).toBe(`'${first}x`);
  for (const plain of ['', 'x', ' =x', "'=x", '1-2']) expect(neutraliseFormula(plain)).toBe(plain);
});

test('any rows read back as written, formula cells with their apostrophe', () => {
  const cell: fc.Arbitrary<CsvValue> = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', ' ', ',', '"', '\n', '\r', '\t', '=', '+', '-', '@', "'", 'é') }),
    fc.integer({ min: -1000, max: 1000 }),
    fc.boolean(),
  );
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
      const back = parse(toCsv(rows), { relax_column_count: true }) as string[][];
      expect(back).toEqual(rows.map((row) => row.map((v) => neutraliseFormula(String(v)))));
    }),
    { seed: 26, numRuns: 300 },
  );
});
