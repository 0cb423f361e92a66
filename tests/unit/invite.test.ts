/**
 * iCalendar parameter values (RFC 5545 §3.1): a person's name cannot break out of CN="…" to add
 * parameters or attendees of its own. Parsed back with ical.js, as a calendar client would.
 */
import ICAL from 'ical.js';
import { buildInvite, parameterValue } from '../../activities/invite';
import type { DeliveryRequest } from '../../activities/types';

function request(apprenticeName: string): DeliveryRequest {
  return {
    epaId: 'epa-9123456786',
    notification: {
      key: 'invite:observation-1:0',
      kind: 'invite',
      at: 0,
      to: ['apprentice', 'employer'],
      component: 'observation',
      componentName: 'Observation',
      attempt: 1,
      inviteUid: 'observation-1',
      sequence: 0,
      assessmentAt: '2027-01-12T10:00',
      durationMinutes: 60,
    },
    recipients: [
      { role: 'apprentice', name: apprenticeName, email: 'ada.testwell@apprentice.example' },
      { role: 'employer', name: 'Noor Castellan', email: 'noor.castellan@brightside.example' },
    ],
    context: {
      standard: 'ST0071',
      standardTitle: 'Customer Service Specialist',
      epaoName: 'Innovate "Awarding"',
      epaoEmail: 'epa-admin@epao.example',
      apprenticeName,
      employerName: 'Brightside Lettings Ltd',
    },
    requestedAt: Date.parse('2027-01-01T09:00:00Z'),
  };
}

test('a double quote in a name cannot add an attendee or a parameter', () => {
  const hostile = 'Ada"; ROLE=CHAIR:mailto:attacker@evil.example\r\nATTENDEE:mailto:second@evil.example';
  const invite = buildInvite(request(hostile))!;
  const event = new ICAL.Component(ICAL.parse(invite.content)).getFirstSubcomponent('vevent')!;
  const attendees = event.getAllProperties('attendee');
  expect(attendees.map((a) => String(a.getFirstValue()).toLowerCase())).toEqual([
    'mailto:ada.testwell@apprentice.example',
    'mailto:noor.castellan@brightside.example',
  ]);
  expect(attendees.map((a) => a.getParameter('role'))).toEqual(['REQ-PARTICIPANT', 'REQ-PARTICIPANT']);
  expect(attendees[0]!.getParameter('cn')).toBe(parameterValue(hostile));
  expect(String(attendees[0]!.getParameter('cn'))).not.toContain('"');
  expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe("Innovate 'Awarding'");
});

test('ordinary names are kept as written', () => {
  expect(parameterValue("Zoë O'Brien-Ndlovu, MBE")).toBe("Zoë O'Brien-Ndlovu, MBE");
});

test('RFC 5545: DTSTAMP in UTC with Z; no non-standard properties; the ORGANIZER is who sends it', () => {
  const invite = buildInvite(request('Ada Testwell'), { name: 'Innovate EPA Team', email: 'epa@innovate.example' })!;
  const lines = invite.content.split('\r\n');
  expect(lines.filter((l) => l.startsWith('DTSTAMP'))).toEqual(['DTSTAMP:20270101T090000Z']);
  expect(lines.filter((l) => /^(X-|TIMEZONE-ID)/.test(l))).toEqual([]);
  const event = new ICAL.Component(ICAL.parse(invite.content)).getFirstSubcomponent('vevent')!;
  expect(String(event.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:epa@innovate.example');
  expect(event.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/London');
});
