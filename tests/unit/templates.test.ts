/** Email templates: one per kind and role, en-GB London dates, nothing left unfilled (002 Assessment Booking). */
import { formatLondonDate, formatLondonDateTime, renderMessage, templates } from '../../activities/templates';
import type { DeliveryRequest, Recipient } from '../../activities/types';
import type { Role } from '../../src/epa/deadlines';
import type { NotificationKind } from '../../src/epa/notifications';

const people: Record<Role, Recipient> = {
  apprentice: { role: 'apprentice', name: 'Ada Testwell', email: 'ada@apprentice.example' },
  employer: { role: 'employer', name: 'Noor Castellan', email: 'noor@brightside.example' },
  provider: { role: 'provider', name: 'Femi Arkwright', email: 'femi@northgate.example' },
  assessor: { role: 'assessor', name: 'Priya Lockhart', email: 'priya@assessors.example' },
  epaoAdmin: { role: 'epaoAdmin', name: 'EPA Admin', email: 'admin@epao.example' },
};

function request(kind: NotificationKind, requestedAt = Date.parse('2027-01-05T09:00:00Z')): DeliveryRequest {
  return {
    epaId: 'epa-9123456786',
    notification: {
      key: `${kind}:x`,
      kind,
      at: 0,
      to: [],
      component: 'observation',
      componentName: 'Practical observation with Q&A',
      attempt: 1,
      assessmentAt: '2027-01-12T10:00',
      durationMinutes: 60,
      due: '2027-10-31',
      deadlineKey: 'reportDue',
      daysBefore: 7,
      location: 'Head office',
    },
    recipients: [],
    context: {
      standard: 'ST0071',
      standardTitle: 'Customer Service Specialist',
      epaoName: 'Innovate Awarding',
      epaoEmail: 'admin@epao.example',
      apprenticeName: 'Ada Testwell',
      employerName: 'Brightside Lettings Ltd',
    },
    requestedAt, // a week before the assessment (and 299 days before the report is due)
  };
}

test('en-GB London date-times, either side of the clocks changing', () => {
  expect(formatLondonDateTime(Date.parse('2027-01-12T10:00:00Z'))).toBe('Tuesday 12 January 2027, 10:00');
  expect(formatLondonDateTime(Date.parse('2027-10-30T09:00:00Z'))).toBe('Saturday 30 October 2027, 10:00'); // BST
  expect(formatLondonDateTime(Date.parse('2027-10-31T09:00:00Z'))).toBe('Sunday 31 October 2027, 09:00'); // GMT
  expect(formatLondonDate('2027-10-31')).toBe('Sunday 31 October 2027');
});

describe.each(Object.keys(templates) as NotificationKind[])('%s', (kind) => {
  test.each(Object.keys(people) as Role[])('renders for the %s with every placeholder filled', (role) => {
    const m = renderMessage(request(kind), people[role]);
    for (const part of [m.subject, m.text, m.html]) expect(part).not.toMatch(/\{\w+\}/);
    // Every message greets its reader; the CANCEL at a corrected email's old address names nobody.
    expect(m.text.startsWith(kind === 'inviteCancelledAtOldAddress' ? 'Hello,' : `Dear ${people[role].name},`)).toBe(true);
    expect(m.text).toContain('Innovate Awarding');
    expect(m.html).toMatch(/^<!doctype html>/);
  });
});

test('the apprentice is told what is due, by when, and what to do', () => {
  const m = renderMessage(request('deadlineReminder', Date.parse('2027-10-24T08:00:00Z')), people.apprentice);
  expect(m.subject).toBe('Due Sunday 31 October 2027: your project report');
  expect(m.text).toContain('due by the end of Sunday 31 October 2027 (UK time), in 7 days');
  expect(m.text).toContain('Send it to your EPAO before then');
  expect(renderMessage(request('assessmentReminder'), people.employer).subject).toBe(
    "Reminder: Ada Testwell's practical observation with Q&A is on Tuesday 12 January 2027, 10:00",
  );
});

test('HTML is escaped', () => {
  const r = request('invite');
  r.context.apprenticeName = 'Ada <script>';
  expect(renderMessage(r, people.employer).html).toContain('Ada &lt;script&gt;');
});

const withRule = (kind: NotificationKind, extra: Partial<DeliveryRequest['notification']> = {}): DeliveryRequest => {
  const r = request(kind);
  r.notification = { ...r.notification, rule: 'report 2 weeks before the interview', source: '001 §5', ...extra };
  return r;
};

test('every reminder and alert names its rule and the document it comes from, in one sentence (001 §5, 002 Annex 2)', () => {
  for (const kind of ['deadlineReminder', 'deadlineNear', 'deadlineMissed', 'epaPeriodEscalation'] as NotificationKind[]) {
    const role = kind === 'deadlineReminder' ? people.apprentice : people.epaoAdmin;
    expect([kind, renderMessage(withRule(kind), role).text]).toEqual([
      kind,
      expect.stringContaining(
        'The rule: report 2 weeks before the interview. Source: the ST0071 assessment plan, §5 (seed 001 §5).',
      ),
    ]);
  }
  expect(
    renderMessage(
      withRule('deadlineMissed', { rule: 'certificate received within 30 working days of the claim', source: 'policy' }),
      people.epaoAdmin,
    ).text,
  ).toContain('Source: an EPAO setting, not from the assessment plans.');
  const reminder = renderMessage(withRule('assessmentReminder', { rule: undefined, source: '002' }), people.apprentice).text;
  expect(reminder).toContain("set out in Innovate Awarding's ST0071 EPA specification (seed 002)");
});

test('a reschedule says moved from … to …; a resit is called a resit; the employer is asked only what applies', () => {
  const moved = renderMessage(withRule('invite', { movedFrom: '2027-01-05T14:00', attemptKind: 'resit' }), people.apprentice);
  expect(moved.subject).toBe('Moved: your practical observation with Q&A resit on Tuesday 12 January 2027, 10:00');
  expect(moved.text).toContain('It has moved from Tuesday 5 January 2027, 14:00 to Tuesday 12 January 2027, 10:00');
  const first = renderMessage(request('invite'), people.apprentice);
  expect(first.subject).toBe('Booked: your practical observation with Q&A on Tuesday 12 January 2027, 10:00');
  expect(first.text).not.toContain('moved');
  const workplace = renderMessage(request('invite'), people.employer).text;
  expect(workplace).toContain('that the assessor can get into the workplace to observe');
  const online = renderMessage(
    withRule('invite', { component: 'project', componentName: 'Interview', location: 'https://meet.example/epa' }),
    people.employer,
  ).text;
  expect(online).toContain('a quiet room and a working connection for the video call');
  expect(online).not.toContain('workplace');
});

test('the assessor replaced by a reschedule is told why their entry is cancelled', () => {
  const m = renderMessage(
    withRule('inviteCancelled', { key: 'invite:observation-1:1:cancel-replaced-assessor' }),
    people.assessor,
  );
  expect(m.text).toContain('rebooked with another assessor, so you are no longer needed for it');
});

describe('words that match the facts (issue 28 part 4)', () => {
  test('a reminder counts its days from the day it is sent to the real date, not the configured N (seed 002 Assessment Booking)', () => {
    // Booked 12 days ahead (short notice): the "14 days before" reminder goes at once, and says 12.
    const late = withRule('assessmentReminder', { daysBefore: 14, rule: undefined, source: '002' });
    late.requestedAt = Date.parse('2026-12-31T15:00:00Z'); // Thursday 31 December: 12 days before Tuesday 12 January
    const apprentice = renderMessage(late, people.apprentice).text;
    expect(apprentice).toContain('takes place on Tuesday 12 January 2027, 10:00, at Head office, in 12 days.');
    expect(apprentice).not.toMatch(/14 days/);
    expect(renderMessage(late, people.employer).text).toContain('in 12 days.');
    const dayBefore = withRule('assessmentReminder', { daysBefore: 1 });
    dayBefore.requestedAt = Date.parse('2027-01-11T23:30:00Z'); // 23:30 GMT on the 11th: still the 11th in London
    expect(renderMessage(dayBefore, people.apprentice).text).toContain(', tomorrow.');
    // A deadline reminder (001 §5 report due) counts to its due date, across the clocks going back.
    const due = withRule('deadlineReminder', { daysBefore: 14 });
    due.requestedAt = Date.parse('2027-10-22T08:00:00Z'); // Friday 22 October, BST
    expect(renderMessage(due, people.apprentice).text).toContain(
      'due by the end of Sunday 31 October 2027 (UK time), in 9 days.',
    );
    const resits = withRule('resitWindowClosing', { daysBefore: 7 });
    resits.requestedAt = Date.parse('2027-10-31T10:00:00Z');
    expect(renderMessage(resits, people.employer).text).toContain('by the end of Sunday 31 October 2027 (UK time), today.');
  });

  test('an assessor-only change names the new assessor and keeps the time; nobody is told it moved (seed 002 Assessment Booking)', () => {
    const change = withRule('invite', {
      key: 'invite:observation-1:1',
      changed: ['assessor'],
      assessor: { name: 'Sam Oduya', email: 'sam@assessors.example' },
      sequence: 1,
    });
    const apprentice = renderMessage(change, people.apprentice);
    expect(apprentice.subject).toBe('Assessor changed: your practical observation with Q&A on Tuesday 12 January 2027, 10:00');
    expect(apprentice.text).toContain('Your assessor has changed: Sam Oduya will assess you.');
    expect(apprentice.text).toContain('The date and time stay the same');
    const employer = renderMessage(change, people.employer);
    expect(employer.subject).toBe(
      "Assessor changed: Ada Testwell's practical observation with Q&A on Tuesday 12 January 2027, 10:00",
    );
    expect(employer.text).toContain('The assessor has changed: Sam Oduya will assess Ada Testwell.');
    const assessor = renderMessage(change, { role: 'assessor', name: 'Sam Oduya', email: 'sam@assessors.example' });
    expect(assessor.subject).toBe('Booked: Ada Testwell, practical observation with Q&A, Tuesday 12 January 2027, 10:00');
    for (const m of [apprentice, employer, assessor]) {
      expect(`${m.subject}\n${m.text}`).not.toMatch(/moved|rescheduled|new time/i);
    }
    // A place-only change says the place changed, and that the time did not.
    const place = renderMessage(withRule('invite', { changed: ['place'], location: 'Room 2' }), people.apprentice);
    expect(place.subject).toMatch(/^Place changed: /);
    expect(`${place.subject}\n${place.text}`).not.toMatch(/moved|rescheduled|new time/i);
  });
});

describe('late-entry summaries (issue 28 part 2: 002 two-week gateway review, 002 Annex 2 results)', () => {
  const review = {
    key: 'gatewayReviewDue',
    due: '2027-01-18',
    rule: 'the EPAO reviews the gateway within 2 weeks',
    source: '002 Gateway',
    owner: 'epaoAdmin' as const,
    status: 'metLate' as const,
    lateBy: { days: 7, unit: 'calendarDays' as const },
  };
  const result = {
    key: 'resultDue.observation',
    due: '2027-02-11',
    rule: 'result published within 7 working days of the assessment',
    source: '002 Annex 2',
    owner: 'epaoAdmin' as const,
    component: 'observation',
    status: 'missed' as const,
  };

  test("an EPA's summary names the apprentice and ULN, and says what became of each deadline", () => {
    const r = request('missedBeforeEntry');
    r.notification = { ...r.notification, missed: [review, result], uln: '9123456786' };
    const m = renderMessage(r, people.epaoAdmin);
    expect(m.subject).toBe('Ada Testwell (ULN 9123456786): entered with 2 deadlines missed or met late');
    expect(m.text).toContain('- gateway review: due by the end of Monday 18 January 2027, met late (7 days late)');
    expect(m.text).toContain('- observation result: due by the end of Thursday 11 February 2027, still not done');
    expect(m.text).toContain('(seed 002 Annex 2)');
  });

  test("an import's summary lists each apprentice with their deadlines, once", () => {
    const r = request('importSummary');
    r.notification = {
      ...r.notification,
      imported: [
        {
          uln: '9123456786',
          apprenticeName: 'Ada Testwell',
          standard: 'ST0071',
          epaoName: 'Innovate Awarding',
          missed: [review],
        },
        { uln: '9234567892', apprenticeName: 'Bo Ferrant', standard: 'ST0071', epaoName: 'Innovate Awarding', missed: [result] },
      ],
    };
    const m = renderMessage(r, people.epaoAdmin);
    expect(m.subject).toBe('Import: 2 apprentices entered with deadlines missed or met late');
    expect(m.text).toContain(
      'Ada Testwell (ULN 9123456786, ST0071):\n  - gateway review: due by the end of Monday 18 January 2027, met late (7 days late)',
    );
    expect(m.text).toContain(
      'Bo Ferrant (ULN 9234567892, ST0071):\n  - observation result: due by the end of Thursday 11 February 2027, still not done',
    );
  });
});
