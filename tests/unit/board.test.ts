/**
 * The ops board's "who must act" and "next action" for each deadline: the owner it names is the one
 * the rules core gives the deadline (src/epa/deadlines.ts), for every deadline key the core derives.
 */
import { actionFor, deadlineActions, ownerNames } from '../../src/app/epas';
import type { EpaView, Role } from '../../src/epa';
import { plan, st0071Component, st0071Gateway, st0072Gateway, type RawEvent } from '../support/cases';

function views(): EpaView[] {
  const out: EpaView[] = [];
  const st0071: RawEvent[] = [
    ...st0071Gateway,
    { type: 'AssessmentBooked', component: 'project', on: '2026-11-16', at: '2027-01-12T10:00' },
    { type: 'ReportSubmitted', on: '2026-12-20', words: 2500 },
    ...st0071Component('observation', '2026-12-20', '2027-01-05T10:00', 'Fail', '2027-01-06', '2027-01-07'),
    { type: 'AssessmentTaken', component: 'project', on: '2027-01-12' },
    { type: 'GradeRecorded', component: 'project', grade: 'Fail', on: '2027-01-13' },
    { type: 'ResultModerated', component: 'project', on: '2027-01-13' },
    { type: 'ResultPublished', component: 'project', on: '2027-01-14' },
  ];
  for (let n = 1; n <= st0071.length; n++) out.push(plan('ST0071', st0071.slice(0, n), '2027-01-20'));
  const st0072: RawEvent[] = [
    ...st0072Gateway,
    { type: 'AssessmentBooked', component: 'showcase', on: '2027-01-08', at: '2027-01-25T10:00' },
    { type: 'AssessmentTaken', component: 'showcase', on: '2027-01-25' },
  ];
  for (let n = 1; n <= st0072.length; n++) out.push(plan('ST0072', st0072.slice(0, n), '2027-01-26'));
  return out;
}

test('every deadline the core derives has a next action, naming the owner the core gives it', () => {
  const seen = new Map<string, string>();
  for (const v of views()) for (const d of v.deadlines) seen.set(d.key.split('.')[0]!, d.owner);
  expect(seen.size).toBeGreaterThanOrEqual(9);
  for (const [key, owner] of seen) {
    expect([key, deadlineActions[key]?.owner]).toEqual([key, owner]);
    expect(actionFor(key).owner).toBe(ownerNames[owner as Role]);
  }
  expect(actionFor('resultDue.observation')).toEqual({ owner: 'EPAO', action: 'Grade, moderate and publish the result' });
});
