/**
 * The forms use the core's London check at the time box (issue #28 part 3): 01:30 on 28 March 2027
 * does not exist (the clocks go forward) and is refused with the core's reason; 01:30 on 31 October
 * 2027 happens twice and the refusal asks for BST or GMT, which the time box takes.
 */
import { eventForms, eventFromForm, FormFieldError } from '../../src/app/event-forms';

const booked = (date: string, time: string) => {
  const [y, m, d] = date.split('-');
  return {
    'on-day': '7',
    'on-month': '12',
    'on-year': '2026',
    component: 'observation',
    'at-day': String(Number(d)),
    'at-month': String(Number(m)),
    'at-year': y!,
    'at-time': time,
    overrideReason: 'agreed with the employer',
  };
};
const refusal = (date: string, time: string): FormFieldError => {
  try {
    eventFromForm(eventForms.AssessmentBooked!, booked(date, time));
  } catch (err) {
    if (err instanceof FormFieldError) return err;
    throw err;
  }
  throw new Error('accepted');
};

test('a time that does not exist: refused at the time box, saying why, override or not', () => {
  const err = refusal('2027-03-28', '01:30');
  expect(err.field).toBe('at-time');
  expect(err.message).toBe('01:30 on 2027-03-28 does not exist in London: the clocks go forward from 01:00 to 02:00 that day');
  expect(refusal('2027-03-28', '01:30 BST').message).toMatch(/does not exist in London/);
});

test('a time that happens twice: refused at the time box naming BST and GMT; given with either, it is taken', () => {
  const err = refusal('2027-10-31', '01:30');
  expect(err.field).toBe('at-time');
  expect(err.message).toBe(
    '01:30 on 2027-10-31 happens twice in London (the clocks go back at 02:00 BST): enter 01:30 BST for the first or 01:30 GMT for the second',
  );
  expect(eventFromForm(eventForms.AssessmentBooked!, booked('2027-10-31', '01:30 BST')).at).toBe('2027-10-31T01:30+01:00');
  expect(eventFromForm(eventForms.AssessmentBooked!, booked('2027-10-31', '1.30 gmt')).at).toBe('2027-10-31T01:30+00:00');
  expect(eventFromForm(eventForms.AssessmentBooked!, booked('2027-10-31', '10:00')).at).toBe('2027-10-31T10:00');
});
