/**
 * Notes staff add to an EPA (the event NoteAdded): how long one may be, and what is wrong with a
 * text in words. Zod-free, for the workflow sandbox (event-check.ts) and the note form alike.
 */

/** The longest note (characters, after trimming). */
export const NOTE_MAX = 1200;

/** What is wrong with a note's text, in words for the form; undefined when it can be added. */
export function noteProblem(text: string): string | undefined {
  const t = text.trim();
  if (t.length === 0) return 'Enter the note';
  if (t.length > NOTE_MAX) return `The note must be ${NOTE_MAX} characters or fewer (it has ${t.length})`;
  return undefined;
}
