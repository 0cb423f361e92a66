/**
 * Email templates: data (one per message kind and role) plus small pure render functions. Dates and
 * times are en-GB in London time ("Tuesday 12 January 2027, 10:00"). Testable without sending.
 */
import type { Role } from '../src/epa/deadlines';
import type { MissedDeadline, NotificationKind } from '../src/epa/notifications';
import { daysBetween, londonDateOf, londonDateTimeInstant } from '../src/calendar/london';
import { describeSource } from '../src/plans/registry';
import { lateWords } from '../src/epa/timeline';
import { dateInWords, deadlineNames } from '../src/epa/display-names';
import type { DeliveryRequest, Recipient } from './types';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

interface Template {
  subject: string;
  /** Paragraphs; `{name}` placeholders are filled from the message's fields. */
  body: string[];
}

const SIGN_OFF = 'If anything here looks wrong, reply to this email and the EPA team will put it right.';

/** What each role is asked to do, per kind. A missing role falls back to `default`. */
export const templates: Record<NotificationKind, Partial<Record<Role | 'default', Template>>> = {
  invite: {
    apprentice: {
      subject: '{bookedOrMoved}: your {component} on {when}',
      body: [
        'Dear {recipient},',
        'Your {component} for the {standard} end-point assessment is booked for {when} ({duration} minutes){where}.',
        '{movedNote}',
        'The calendar invite is attached: accept it to add it to your calendar. If the date has to change you will receive an updated invite.',
      ],
    },
    employer: {
      subject: "{bookedOrMoved}: {apprentice}'s {component} on {when}",
      body: [
        'Dear {recipient},',
        "{apprentice}'s {component} for the {standard} end-point assessment is booked for {when} ({duration} minutes){where}.",
        '{movedNote}',
        '{employerAsk}',
      ],
    },
    assessor: {
      subject: '{bookedOrMoved}: {apprentice}, {component}, {when}',
      body: [
        'Dear {recipient},',
        'You are booked to assess {apprentice} ({employer}) for the {component} of {standard} on {when} ({duration} minutes){where}.',
        '{movedNote}',
      ],
    },
  },
  inviteCancelled: {
    default: {
      subject: 'Cancelled: {component} for {apprentice}',
      body: ['Dear {recipient},', 'The {component} for {apprentice} ({standard}){previously} has been cancelled. {cancelNote}'],
    },
  },
  inviteCancelledAtOldAddress: {
    // The old address may be another person's: no name, no apprentice, no place; only the date and the EPAO.
    default: {
      subject: 'Cancelled: an appointment on {day}',
      body: [
        'Hello,',
        'A calendar invite for an appointment on {day} was sent to this address by {epao} in error, and has been cancelled. Please remove it from your calendar; there is nothing else you need to do.',
      ],
    },
  },
  assessmentReminder: {
    apprentice: {
      subject: 'Reminder: your {component} is on {when}',
      body: [
        'Dear {recipient},',
        'This is a reminder that your {component} for the {standard} end-point assessment takes place on {when}{where}, {inDays}.',
        'Check the assessment requirements your training provider gave you, and contact us straight away if you cannot attend.',
        '{because}',
      ],
    },
    employer: {
      subject: "Reminder: {apprentice}'s {component} is on {when}",
      body: [
        'Dear {recipient},',
        "{apprentice}'s {component} ({standard}) takes place on {when}{where}, {inDays}.",
        '{employerAsk}',
        '{because}',
      ],
    },
  },
  deadlineReminder: {
    apprentice: {
      subject: 'Due {due}: your {deadline}',
      body: [
        'Dear {recipient},',
        'Your {deadline} for the {standard} end-point assessment is due by the end of {due} (UK time), {inDays}.',
        'Send it to your EPAO before then; if you cannot, tell your employer and training provider now.',
        '{because}',
      ],
    },
    employer: {
      subject: "Due {due}: {apprentice}'s {deadline}",
      body: [
        'Dear {recipient},',
        "{apprentice}'s {deadline} ({standard}) is due by the end of {due} (UK time), {inDays}. Please check they are on track.",
        '{because}',
      ],
    },
  },
  deadlineNear: {
    epaoAdmin: {
      subject: 'Due {due}: {deadline} for {apprentice}',
      body: [
        'Dear {recipient},',
        'The {deadline} for {apprentice} ({standard}, {employer}) is due by the end of {due}. Act now so it is not missed.',
        '{because}',
      ],
    },
  },
  deadlineMissed: {
    epaoAdmin: {
      subject: 'Overdue: {deadline} for {apprentice} was due {due}',
      body: [
        'Dear {recipient},',
        'The {deadline} for {apprentice} ({standard}, {employer}) was due by the end of {due} and has not been recorded.',
        '{because}',
        'The EPA shows as overdue on the ops dashboard until it is done.',
      ],
    },
  },
  messageFailed: {
    epaoAdmin: {
      subject: '{apprentice}: a message could not be sent',
      body: [
        'Dear {recipient},',
        'The {failedKind} message to the {failedRole} of {apprentice} ({standard}, {employer}) could not be sent, and will not be tried again: {failedError}',
        'Put right what it says (the address, or the booking) on the EPA page, where the message is listed as failed.',
      ],
    },
  },
  missedBeforeEntry: {
    epaoAdmin: {
      subject: '{apprentice}{ulnNote}: entered with {missedCount} {missedWhat}',
      body: [
        'Dear {recipient},',
        'The EPA of {apprentice}{ulnNote} ({standard}, {employer}) was entered with facts from before epa-flow knew of them. They show these deadlines were {missedWhat}:',
        '{missedList}',
        'Nobody else has been told about them. {missedNext}',
      ],
    },
  },
  importSummary: {
    epaoAdmin: {
      subject: 'Import: {importedCount} entered with deadlines missed or met late',
      body: [
        'Dear {recipient},',
        'The import you ran brought in EPAs whose histories show deadlines that were missed, or met late, before epa-flow knew of them:',
        '{importedList}',
        'Nobody else has been told about them. Each EPA page lists its deadlines; those still missed show as overdue on the ops dashboard until they are done or recorded.',
      ],
    },
  },
  gatewayOutcome: {
    apprentice: {
      subject: 'Gateway {outcomeWord}: your {standard} end-point assessment',
      body: ['Dear {recipient},', '{gatewayNews}', '{because}'],
    },
    default: {
      subject: "Gateway {outcomeWord}: {apprentice}'s end-point assessment",
      body: ['Dear {recipient},', '{gatewayNewsThird}', '{because}'],
    },
  },
  resultPublished: {
    apprentice: {
      subject: 'Your {component} result: {grade}',
      body: [
        'Dear {recipient},',
        'Your result for the {component} of the {standard} end-point assessment is: {grade}.',
        '{resultNext}',
        '{because}',
      ],
    },
    default: {
      subject: "{apprentice}'s {component} result: {grade}",
      body: ['Dear {recipient},', "{apprentice}'s result for the {component} ({standard}) is: {grade}.", '{because}'],
    },
  },
  appealDecided: {
    default: {
      subject: 'Appeal {outcomeWord}: {component} result',
      body: ['Dear {recipient},', '{appealNews}', 'The EPAO’s decision on an appeal is final.', '{because}'],
    },
  },
  resitWindowClosing: {
    apprentice: {
      subject: 'Resits close {due}: your {standard} end-point assessment',
      body: [
        'Dear {recipient},',
        'Every resit or retake of your end-point assessment must be complete by the end of {due} (UK time), {inDays}.',
        'If a resit is not booked yet, talk to your employer and training provider now.',
        '{because}',
      ],
    },
    employer: {
      subject: "Resits close {due}: {apprentice}'s end-point assessment",
      body: [
        'Dear {recipient},',
        "{apprentice}'s resits or retakes ({standard}) must be complete by the end of {due} (UK time), {inDays}. Please check they are booked.",
        '{because}',
      ],
    },
  },
  certificateClaimed: {
    default: {
      subject: "Certificate claimed: {apprentice}'s {standard} apprenticeship",
      body: [
        'Dear {recipient},',
        "We have claimed {apprentice}'s apprenticeship certificate ({standard}). The Department for Education sends it directly to the employer.",
        '{because}',
      ],
    },
  },
  certificateReceived: {
    default: {
      subject: "Certificate sent: {apprentice}'s {standard} apprenticeship",
      body: [
        'Dear {recipient},',
        "{apprentice}'s apprenticeship certificate ({standard}) has been sent to the employer. This completes the end-point assessment.",
      ],
    },
  },
  certificateClaimRefused: {
    default: {
      subject: "Certificate claim refused: {apprentice}'s {standard} apprenticeship",
      body: [
        'Dear {recipient},',
        "The Department for Education's assessment service refused the claim for {apprentice}'s apprenticeship certificate ({standard}). It said: {reason}",
        "Please put this right on the apprentice's page in epa-flow (the certificate details, or the EPA itself), then retry the claim there.",
      ],
    },
  },
  certificateNotDelivered: {
    default: {
      subject: "Certificate not delivered: {apprentice}'s {standard} apprenticeship",
      body: [
        'Dear {recipient},',
        "The assessment service reports that delivery of {apprentice}'s apprenticeship certificate ({standard}) was attempted and failed. Please check the postal address with the employer and ask the service for a reprint.",
      ],
    },
  },
  planningMeeting: {
    default: {
      subject: 'Planning meeting on {when}: {apprentice}',
      body: [
        'Dear {recipient},',
        'The end-point assessment planning meeting for {apprentice} ({standard}) is on {when} ({duration} minutes). The apprentice and an assessor from {epao} take part; the employer should be there too.',
        'It books the assessment dates, and explains what happens if an assessment is cancelled or moved, certification and appeals.',
        '{because}',
      ],
    },
  },
  planningMeetingHeld: {
    default: {
      subject: 'Planning meeting held: {apprentice}',
      body: [
        'Dear {recipient},',
        'The planning meeting for {apprentice} ({standard}) has taken place. A calendar invite follows for every assessment it booked.',
        '{because}',
      ],
    },
  },
  epaPeriodEscalation: {
    default: {
      subject: 'Escalation: EPA period for {apprentice} ended {due} with assessments outstanding',
      body: [
        'Dear {recipient},',
        'The {standard} end-point assessment period for {apprentice} ({employer}) ended on {due} and not every assessment has taken place.',
        '{because}',
        'The EPAO, employer and training provider need to agree the next step (rebooking with the assessor, extenuating circumstances, or a retake).',
      ],
    },
  },
};

const ASSESSMENT_KINDS: ReadonlySet<NotificationKind> = new Set(['invite', 'inviteCancelled', 'assessmentReminder']);

/** Human names for deadline keys. */
/** The deadlines' names come from the one place of display names (src/epa/display-names.ts). */
export { deadlineNames };

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
/** "Tuesday 12 January 2027, 10:00" (London). */
export function formatLondonDateTime(instant: number): string {
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

/** "Tuesday 12 January 2027" (London): the pages' words for a date (display-names.ts). */
export const formatLondonDate = (date: string): string => dateInWords(date);

function deadlineName(key: string | undefined): string {
  if (!key) return 'deadline';
  if (key.startsWith('resultDue.')) return `${key.slice('resultDue.'.length)} result`;
  return deadlineNames[key] ?? key;
}

export function fields(request: DeliveryRequest, recipient: Recipient): Record<string, string> {
  const n = request.notification;
  const online = n.location !== undefined && /^https?:\/\//.test(n.location);
  const where = n.location ? (online ? `, online at ${n.location}` : `, at ${n.location}`) : '';
  const when = n.assessmentAt ? formatLondonDateTime(londonDateTimeInstant(n.assessmentAt)) : '';
  return {
    recipient: recipient.name,
    apprentice: request.context.apprenticeName,
    employer: request.context.employerName,
    standard: `${request.context.standard} ${request.context.standardTitle}`,
    epao: request.context.epaoName,
    component: componentPhrase(lowerFirst(n.componentName ?? n.component ?? 'assessment'), n.attemptKind),
    when,
    day: n.assessmentAt ? formatLondonDate(n.assessmentAt.slice(0, 10)) : '',
    previously: n.assessmentAt ? ` on ${formatLondonDateTime(londonDateTimeInstant(n.assessmentAt))}` : '',
    duration: String(n.durationMinutes ?? ''),
    where,
    due: n.due ? formatLondonDate(n.due) : '',
    deadline: deadlineName(n.deadlineKey),
    days: dayCount(daysAway(request)),
    inDays: inDays(daysAway(request)),
    bookedOrMoved: bookedOrMoved(n, recipient),
    movedNote: changeNote(request, recipient, when),
    employerAsk: online
      ? `Please make sure ${request.context.apprenticeName} is released from duties for it, with a quiet room and a working connection for the video call.`
      : `Please make sure ${request.context.apprenticeName} is released from duties for it${n.component === 'observation' ? ', and that the assessor can get into the workplace to observe' : ''}.`,
    cancelNote: request.notification.key.endsWith(':cancel-replaced-assessor')
      ? 'It has been rebooked with another assessor, so you are no longer needed for it; the calendar entry is cancelled.'
      : 'The calendar entry is cancelled too; a new date will be sent when it is rebooked.',
    because:
      n.rule && n.source
        ? `The rule: ${n.rule}. Source: ${describeSource(n.source)}.`
        : n.source && ASSESSMENT_KINDS.has(n.kind)
          ? `This assessment is part of the end-point assessment set out in ${describeSource(n.source)}.`
          : n.source
            ? `Source: ${describeSource(n.source)}.`
            : '',
    outcomeWord: n.outcome ?? '',
    reason: n.reason ?? '',
    grade: n.grade ?? '',
    gatewayNews:
      n.outcome === 'rejected'
        ? `Your gateway submission for the ${request.context.standard} ${request.context.standardTitle} end-point assessment was not accepted. The reason: ${n.reason ?? 'not given'}. Your employer and training provider will help you with what needs developing before it is submitted again.`
        : `Your gateway has been passed: your ${request.context.standard} ${request.context.standardTitle} end-point assessment has started.`,
    gatewayNewsThird:
      n.outcome === 'rejected'
        ? `The gateway submission for ${request.context.apprenticeName} (${request.context.standard}) was not accepted. The reason: ${n.reason ?? 'not given'}. The apprentice needs further development before it is submitted again.`
        : `The gateway for ${request.context.apprenticeName} (${request.context.standard}) has been passed: the end-point assessment has started.`,
    resultNext:
      n.grade === 'Fail'
        ? 'Your employer and training provider will arrange further development with you before a resit or rework; we will tell you the date when it is booked.'
        : '',
    appealNews:
      n.outcome === 'upheld'
        ? `The appeal against the ${lowerFirst(n.componentName ?? n.component ?? 'assessment')} result for ${request.context.apprenticeName} (${request.context.standard}) has been upheld: the grade is now ${n.grade ?? ''}${n.previousGrade ? ` (it was ${n.previousGrade})` : ''}.`
        : `The appeal against the ${lowerFirst(n.componentName ?? n.component ?? 'assessment')} result for ${request.context.apprenticeName} (${request.context.standard}) has been dismissed: the result stands.`,
    failedKind: n.failed ? messageKindWords(n.failed.kind) : '',
    failedRole: n.failed ? (n.failed.role === 'epaoAdmin' ? 'EPAO admin' : n.failed.role) : '',
    failedError: n.failed?.error ?? '',
    missedCount: n.missed?.length === 1 ? '1 deadline' : `${n.missed?.length ?? 0} deadlines`,
    ulnNote: n.uln ? ` (ULN ${n.uln})` : '',
    missedWhat: (n.missed ?? []).some((m) => m.status === 'metLate') ? 'missed or met late' : 'already missed',
    missedNext: (n.missed ?? []).some((m) => m.status !== 'metLate')
      ? 'The EPA shows as overdue on the ops dashboard until each deadline still missed is done or recorded.'
      : 'Each deadline met late is counted against the EPAO’s promises in the reports.',
    missedList: (n.missed ?? []).map((m) => `- ${missedLine(m)}`).join('\n'),
    importedCount: (n.imported?.length ?? 0) === 1 ? '1 apprentice' : `${n.imported?.length ?? 0} apprentices`,
    importedList: (n.imported ?? [])
      .map((r) =>
        [`${r.apprenticeName} (ULN ${r.uln}, ${r.standard}):`, ...r.missed.map((m) => `  - ${missedLine(m)}`)].join('\n'),
      )
      .join('\n'),
  };
}

/** One deadline of a late-entry summary: what, when due, and what became of it, with its rule. */
function missedLine(m: MissedDeadline): string {
  const outcome = m.status === 'metLate' ? `met late${m.lateBy ? ` (${lateWords(m.lateBy)} late)` : ''}` : 'still not done';
  return `${deadlineName(m.key)}: due by the end of ${formatLondonDate(m.due)}, ${outcome}; ${m.rule} (${m.source === 'policy' ? 'EPAO setting' : `seed ${m.source}`})`;
}

/**
 * Whole days from the day the message is sent (London) to the date it is about: the assessment's
 * day, or the deadline's. Counted from the real dates, never from the reminder's configured N (a
 * booking made 12 days ahead gets its "14 days before" reminder at once: it says 12).
 */
export function daysAway(request: DeliveryRequest): number | undefined {
  const n = request.notification;
  const target =
    n.kind === 'deadlineReminder' || n.kind === 'resitWindowClosing'
      ? (n.due ?? n.assessmentAt?.slice(0, 10))
      : (n.assessmentAt?.slice(0, 10) ?? n.due);
  if (!target) return n.daysBefore;
  return Math.max(0, daysBetween(londonDateOf(request.requestedAt), target));
}

function dayCount(days: number | undefined): string {
  return days === 1 ? '1 day' : `${days ?? ''} days`;
}

/** "in 12 days", "tomorrow", "today". */
function inDays(days: number | undefined): string {
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${dayCount(days)}`;
}

/** What changed in a rebooking, as the invite's subject says it: a time moves; an assessor or a place only changes. */
function bookedOrMoved(n: DeliveryRequest['notification'], recipient: Recipient): string {
  if (n.readdressed) return 'Invite';
  const changed = n.changed ?? (n.movedFrom ? ['time'] : []);
  if (changed.includes('time')) return 'Moved';
  // The new assessor is booked, not told of a change they were not part of.
  if (recipient.role === 'assessor' && changed.includes('assessor')) return 'Booked';
  if (changed.includes('assessor') && changed.includes('place')) return 'Assessor and place changed';
  if (changed.includes('assessor')) return 'Assessor changed';
  if (changed.includes('place')) return 'Place changed';
  return 'Booked';
}

/** The paragraph saying what a rebooking changed (nothing when it is a first booking). */
function changeNote(request: DeliveryRequest, recipient: Recipient, when: string): string {
  const n = request.notification;
  if (n.readdressed)
    return 'Your email address was corrected: this invite replaces the one sent to the earlier address, which has been cancelled.';
  const changed = n.changed ?? (n.movedFrom ? ['time'] : []);
  if (changed.includes('time') && n.movedFrom)
    return `It has moved from ${formatLondonDateTime(londonDateTimeInstant(n.movedFrom))} to ${when}; the calendar invite is updated.`;
  if (recipient.role === 'assessor') return '';
  const notes: string[] = [];
  const assessorName = n.assessor?.name ?? 'another assessor';
  if (changed.includes('assessor'))
    notes.push(
      recipient.role === 'apprentice'
        ? `Your assessor has changed: ${assessorName} will assess you.`
        : `The assessor has changed: ${assessorName} will assess ${request.context.apprenticeName}.`,
    );
  if (changed.includes('place')) notes.push('The place has changed.');
  if (notes.length) notes.push('The date and time stay the same; the calendar invite is updated.');
  return notes.join(' ');
}

/** Each message kind in words, for the admin told that one failed (one place: a new kind must be named here). */
const MESSAGE_KIND_WORDS: Record<NotificationKind, string> = {
  assessmentReminder: 'assessment reminder',
  deadlineReminder: 'deadline reminder',
  deadlineNear: 'deadline approaching',
  deadlineMissed: 'missed deadline alert',
  epaPeriodEscalation: 'EPA period escalation',
  invite: 'calendar invite',
  inviteCancelled: 'calendar cancellation',
  inviteCancelledAtOldAddress: 'calendar cancellation at an earlier address',
  missedBeforeEntry: 'summary of deadlines missed before entry',
  importSummary: 'summary of an import',
  gatewayOutcome: 'gateway outcome',
  resultPublished: 'result',
  appealDecided: 'appeal outcome',
  resitWindowClosing: 'resit window closing',
  certificateClaimed: 'certificate claimed',
  certificateReceived: 'certificate sent',
  planningMeeting: 'planning meeting invitation',
  planningMeetingHeld: 'planning meeting confirmation',
  certificateClaimRefused: 'certificate claim refused',
  certificateNotDelivered: 'certificate not delivered',
  messageFailed: 'message failure alert',
};

function messageKindWords(kind: NotificationKind): string {
  return MESSAGE_KIND_WORDS[kind];
}

/** "observation", "observation resit", "observation retake", "interview on the reworked project". */
function componentPhrase(component: string, kind: string | undefined): string {
  if (kind === 'resit' || kind === 'retake') return `${component} ${kind}`;
  if (kind === 'rework') return `${component} (after rework)`;
  return component;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function templateFor(kind: NotificationKind, role: Role): Template {
  const byRole = templates[kind];
  const t = byRole[role] ?? byRole.default ?? byRole.employer ?? byRole.epaoAdmin;
  if (!t) throw new Error(`no template for ${kind}`);
  return t;
}

/** Subject, plain text and HTML of one message to one recipient. */
export function renderMessage(request: DeliveryRequest, recipient: Recipient): RenderedMessage {
  const t = templateFor(request.notification.kind, recipient.role);
  const values = fields(request, recipient);
  // A paragraph that says nothing here (no earlier booking, no rule to cite) is left out.
  const paragraphs = [
    ...t.body.map((p) => fill(p, values)).filter((p) => p.trim() !== ''),
    SIGN_OFF,
    `${request.context.epaoName}`,
  ];
  const subject = fill(t.subject, values);
  return {
    subject: subject.charAt(0).toUpperCase() + subject.slice(1),
    text: paragraphs.join('\n\n') + '\n',
    html: `<!doctype html><html lang="en-GB"><body style="font-family:sans-serif;line-height:1.5">${paragraphs.map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('')}</body></html>`,
  };
}
