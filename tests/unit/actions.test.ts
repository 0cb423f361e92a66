/**
 * The action pages' pure helpers (src/app/actions.ts): grades a component allows, the entries a void
 * can take out, and the core's refusals and warnings in words.
 */
import { allowedGrades, findingInWords, refusalInWords, voidChoices } from '../../src/app/actions';

const st0071 = { rules: { standard: 'ST0071', version: '1.1', epao: 'innovate', planHash: '', policyHash: '' } };

test('001 §6: ST0071 components are graded Fail, Pass or Distinction: Merit is never offered', () => {
  for (const c of ['observation', 'project', 'discussion', undefined]) {
    expect(allowedGrades(st0071, c)).toEqual(['Fail', 'Pass', 'Distinction']);
    expect(allowedGrades(st0071, c)).not.toContain('Merit');
  }
});

test('voidChoices: entries in words, newest first; a voided entry, a void and the gateway submission are not offered', () => {
  const entry = (type: string, eventId?: string, voids?: string) => ({
    number: 1,
    type,
    on: '2027-03-10',
    recordedAt: '2027-03-10T10:00:00.000Z',
    changed: [],
    ...(eventId && { eventId }),
    ...(voids && { voids }),
  });
  const choices = voidChoices({
    ...st0071,
    timeline: [
      entry('GatewaySubmitted'),
      entry('GatewayPassed', 'a'),
      { ...entry('AssessmentBooked', 'b'), component: 'observation', at: '2027-04-01T10:00' },
      entry('PortfolioSubmitted', 'c'),
      entry('EventVoided', 'd', 'c'),
    ],
  });
  expect(choices.map((c) => c.eventId)).toEqual(['b', 'a']);
  expect(choices[0]!.text).toMatch(/^[A-Z][a-z ]+, Wednesday 10 March 2027$/);
  expect(choices[0]!.hint).toContain('Practical observation with Q&A');
});

test("a refusal or warning in words: a component's id becomes its name, a name the core already wrote stays, dates in words", () => {
  expect(refusalInWords('discussion was taken on 2027-03-01', st0071)).toBe(
    'The professional discussion supported by portfolio evidence was taken on 2027-03-01',
  );
  // The core's booking warning already names the component: it is not named twice.
  expect(findingInWords('Professional discussion supported by portfolio evidence booked for 2027-03-06, a weekend', st0071)).toBe(
    'Professional discussion supported by portfolio evidence booked for Saturday 6 March 2027, a weekend',
  );
  expect(
    findingInWords('project recommended before discussion: project 2027-04-02T10:00, discussion 2027-03-30T10:00', st0071),
  ).toBe(
    'The work-based project supported by an interview recommended before the professional discussion supported by portfolio evidence: ' +
      'the work-based project supported by an interview Friday 2 April 2027 at 10:00am, ' +
      'the professional discussion supported by portfolio evidence Tuesday 30 March 2027 at 10:00am',
  );
});
