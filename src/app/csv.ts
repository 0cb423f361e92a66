import { stringify } from 'csv-stringify/sync';

export type CsvValue = string | number | boolean;

/**
 * A cell a spreadsheet would run as a formula (it starts with = + - @, a tab or a carriage return)
 * gets a leading apostrophe, so it opens as text (the OWASP "CSV injection" advice).
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const asText = (value: CsvValue): string => neutraliseFormula(String(value));

/**
 * Rows as CSV for spreadsheets: every cell quoted (empty ones too), quotes doubled, formulas
 * neutralised, CRLF after every row (RFC 4180). Numbers and booleans are written as `String()` writes them.
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return stringify(
    rows.map((row) => [...row]),
    {
      quoted: true,
      quoted_empty: true,
      record_delimiter: 'windows',
      cast: { string: asText, number: asText, boolean: asText },
    },
  );
}
