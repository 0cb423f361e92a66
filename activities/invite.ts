/**
 * Calendar invites (RFC 5545 / iTIP) for booked assessments, with ical-generator: METHOD:REQUEST
 * with a stable UID per (EPA, component, attempt) and a SEQUENCE that rises with every reschedule;
 * METHOD:CANCEL when an assessment is cancelled. Times are Europe/London with a VTIMEZONE.
 */
import { TZDate } from '@date-fns/tz';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { LONDON, londonDateTimeInstant } from '../src/calendar/london';
import type { DeliveryRequest } from './types';

export interface Invite {
  method: 'REQUEST' | 'CANCEL';
  uid: string;
  content: string;
}

/**
 * A value fit for an iCalendar parameter such as CN (RFC 5545 §3.1: QSAFE-CHAR is any character but
 * a control character or DQUOTE): double quotes become single ones and control characters spaces,
 * so a name can never close the quoted value and add parameters or attendees of its own.
 */
export function parameterValue(value: string): string {
  return (
    value
      .replace(/"/g, "'")
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .trim()
  );
}

export function inviteUid(request: DeliveryRequest): string {
  return `${request.epaId}-${request.notification.inviteUid}@epa-flow`;
}

/**
 * Keeps to RFC 5545: DTSTAMP in UTC (`…Z`; ical-generator writes it in the calendar's time zone,
 * without one), and no non-standard properties (ical-generator's TIMEZONE-ID and X-WR-TIMEZONE, the
 * time zone generator's X-LIC-LOCATION): times carry their TZID and the VTIMEZONE defines it.
 */
export function standardCalendar(text: string, stamp: number): string {
  const utc = new Date(stamp)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return text
    .split('\r\n')
    .filter((line) => !/^(TIMEZONE-ID|X-WR-TIMEZONE|X-LIC-LOCATION)[:;]/.test(line))
    .map((line) => (line.startsWith('DTSTAMP:') ? `DTSTAMP:${utc}` : line))
    .join('\r\n');
}

/** Who makes every calendar epa-flow sends (PRODID). */
const PROD_ID = { company: 'epa-flow', product: 'epa-flow', language: 'EN' };

/** The invite for an `invite` or `inviteCancelled` notification; undefined for other kinds. The organizer is who sends the mail (its From). */
export function buildInvite(
  request: DeliveryRequest,
  organizer: { name: string; email: string } = { name: request.context.epaoName, email: request.context.epaoEmail },
): Invite | undefined {
  const n = request.notification;
  if (n.kind === 'inviteCancelledAtOldAddress' && n.assessmentAt) return cancelAtOldAddress(request, organizer);
  if ((n.kind !== 'invite' && n.kind !== 'inviteCancelled') || !n.assessmentAt) return undefined;
  const method = n.kind === 'invite' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL;
  const calendar = ical({ prodId: PROD_ID, method });
  calendar.timezone({ name: LONDON, generator: getVtimezoneComponent });
  const start = new TZDate(londonDateTimeInstant(n.assessmentAt), LONDON);
  const end = new TZDate(start.getTime() + (n.durationMinutes ?? 60) * 60_000, LONDON);
  const uid = inviteUid(request);
  const event = calendar.createEvent({
    id: uid,
    sequence: n.sequence ?? 0,
    start,
    end,
    timezone: LONDON,
    stamp: new Date(request.requestedAt),
    summary: `EPA ${n.componentName ?? n.component}: ${request.context.apprenticeName} (${request.context.standard})`,
    description: `${request.context.standard} ${request.context.standardTitle} end-point assessment, ${n.componentName ?? n.component}, attempt ${n.attempt ?? 1}. Booked by ${request.context.epaoName}.`,
    organizer: { name: parameterValue(organizer.name), email: organizer.email },
    status: method === ICalCalendarMethod.CANCEL ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  if (n.location) {
    if (/^https?:\/\//.test(n.location)) {
      event.url(n.location);
      event.location(n.location);
    } else {
      event.location(n.location);
    }
  }
  for (const r of request.recipients) {
    event.createAttendee({
      name: parameterValue(r.name),
      email: r.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: method === ICalCalendarMethod.REQUEST,
    });
  }
  return {
    method: method === ICalCalendarMethod.REQUEST ? 'REQUEST' : 'CANCEL',
    uid,
    content: standardCalendar(calendar.toString(), request.requestedAt),
  };
}

/**
 * The CANCEL for an address that is no longer the contact's (their email was corrected): the same
 * UID, a higher SEQUENCE, and nothing personal (the old address may be another person's): the day
 * only (an all-day entry), the EPAO's name, and that address as the one attendee, without a name.
 */
function cancelAtOldAddress(request: DeliveryRequest, organizer: { name: string; email: string }): Invite {
  const n = request.notification;
  const calendar = ical({ prodId: PROD_ID, method: ICalCalendarMethod.CANCEL });
  const uid = inviteUid(request);
  const day = n.assessmentAt!.slice(0, 10);
  const event = calendar.createEvent({
    id: uid,
    sequence: n.sequence ?? 0,
    start: new Date(`${day}T00:00:00Z`),
    allDay: true,
    stamp: new Date(request.requestedAt),
    summary: `Cancelled: appointment with ${parameterValue(request.context.epaoName)}`,
    organizer: { name: parameterValue(organizer.name), email: organizer.email },
    status: ICalEventStatus.CANCELLED,
  });
  for (const r of request.recipients) {
    event.createAttendee({ email: r.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION, rsvp: false });
  }
  return { method: 'CANCEL', uid, content: standardCalendar(calendar.toString(), request.requestedAt) };
}
