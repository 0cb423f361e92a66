/**
 * Notes (NoteAdded, src/epa/note.ts): the text's problems in words, the zod-free check and the zod
 * schema agreeing on the cap, the rules unmoved by a note, and the timeline keeping its text.
 */
import { NoteAdded } from '../../src/epa/events';
import { parseEvent } from '../../src/epa/event-check';
import { NOTE_MAX, noteProblem } from '../../src/epa/note';
import { timelineEntry } from '../../src/epa/timeline';
import { plan, st0071Gateway } from '../support/cases';

test('a note needs some text and at most NOTE_MAX characters once trimmed, said in words', () => {
  expect(noteProblem('')).toBe('Enter the note');
  expect(noteProblem(' \n\t ')).toBe('Enter the note');
  expect(noteProblem(`  ${'a'.repeat(NOTE_MAX)}  `)).toBeUndefined();
  expect(noteProblem('a'.repeat(NOTE_MAX + 1))).toBe(`The note must be ${NOTE_MAX} characters or fewer (it has ${NOTE_MAX + 1})`);
});

test.each([
  ['a short note', 'Rang the employer', true],
  ['exactly the cap', 'n'.repeat(NOTE_MAX), true],
  ['one over the cap', 'n'.repeat(NOTE_MAX + 1), false],
  ['only spaces', '   ', false],
])('the workflow check and the zod schema agree on %s', (_what, text, accepted) => {
  const raw = { type: 'NoteAdded', on: '2026-11-20', text, by: 'Amira Sollen' };
  expect(NoteAdded.safeParse(raw).success).toBe(accepted);
  if (accepted) expect(parseEvent(raw)).toMatchObject({ type: 'NoteAdded', text: text.trim() });
  else expect(() => parseEvent(raw)).toThrow(expect.objectContaining({ path: 'event.text' }));
});

test('a note without text, or with a field it does not have, is refused', () => {
  expect(() => parseEvent({ type: 'NoteAdded', on: '2026-11-20' })).toThrow(expect.objectContaining({ path: 'event.text' }));
  expect(() => parseEvent({ type: 'NoteAdded', on: '2026-11-20', text: 'x', component: 'observation' })).toThrow(/unknown field/);
});

test('a note changes no stage, deadline, grade or finding', () => {
  const without = plan('ST0071', st0071Gateway, '2026-11-30');
  const withNote = plan(
    'ST0071',
    [...st0071Gateway, { type: 'NoteAdded', on: '2026-11-20', text: 'Asked about dates' }],
    '2026-11-30',
  );
  expect(withNote.stage).toBe(without.stage);
  expect(withNote.deadlines).toEqual(without.deadlines);
  expect(withNote.grades).toEqual(without.grades);
  expect(withNote.violations).toEqual(without.violations);
});

test("the timeline entry keeps the note's text, apart from any reason, and only for a note", () => {
  const v = plan('ST0071', st0071Gateway, '2026-11-30');
  const note = timelineEntry({ type: 'NoteAdded', on: '2026-11-20', text: 'Line one\nline two', by: 'Olu' }, v, v, 7, 0);
  expect(note).toMatchObject({ type: 'NoteAdded', note: 'Line one\nline two', by: 'Olu', changed: [] });
  expect(note.reason).toBeUndefined();
  const other = timelineEntry({ type: 'GatewayPassed', on: '2026-11-16', text: 'not a note' }, v, v, 8, 0);
  expect(other.note).toBeUndefined();
});
