/**
 * The one check on a name (a person's, an organisation's, a staff account's): no control
 * characters (NUL, newlines, escapes), no bidirectional overrides or isolates (U+202A–U+202E,
 * U+2066–U+2069, which make text display in another order than it is stored), and no lone
 * surrogates (half a character, which no mail or calendar program can show). Used by the start
 * schema (API, forms, import, CLI), contact corrections and staff accounts. Zod-free: the workflow
 * applies contact corrections.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with a name, in words, or undefined when it may be kept. */
export function nameProblem(value: string): string | undefined {
  const control = CONTROL.exec(value);
  if (control) return `must not contain control characters (found ${codePoint(control[0])} at character ${control.index + 1})`;
  const bidi = BIDI.exec(value);
  if (bidi)
    return `must not contain bidirectional overrides, which make text show in another order (found ${codePoint(bidi[0])} at character ${bidi.index + 1})`;
  const lone = LONE_SURROGATE.exec(value);
  if (lone) return `must not contain half a character (a lone surrogate, ${codePoint(lone[0])}, at character ${lone.index + 1})`;
  return undefined;
}
