/**
 * Notes staff add to an EPA (/epas/<uln>/note): the text checked in words, then recorded as the
 * event NoteAdded, dated today in London, by the signed-in person. A note changes no deadline or
 * stage, and no message ever carries it (activities/templates.ts reads no timeline).
 */
import { londonDateOf } from '../calendar';
import { NOTE_MAX, noteProblem } from '../epa/note';
import type { EpaClient } from './epa-client';
import type { EpaSummary } from '../../workflows/definitions';
import { FormFieldError } from './event-forms';

export { NOTE_MAX };

export interface PostedNote {
  text?: string;
  /** The form's own key: posted twice, the note is added once. */
  formKey?: string;
}

/** Adds the note, or FormFieldError('text', …) in words when it cannot be added. */
export async function addNote(
  epa: Pick<EpaClient, 'recordEvent'>,
  uln: string,
  posted: PostedNote,
  by: string,
  now: number,
): Promise<EpaSummary> {
  const text = typeof posted.text === 'string' ? posted.text.replace(/\r\n/g, '\n') : '';
  const problem = noteProblem(text);
  if (problem) throw new FormFieldError('text', problem);
  const key = posted.formKey && /^[0-9a-f-]{36}$/.test(posted.formKey) ? posted.formKey : undefined;
  return await epa.recordEvent(
    uln,
    'NoteAdded',
    { on: londonDateOf(now), text: text.trim(), by },
    key ? { idempotencyKey: key } : {},
  );
}
