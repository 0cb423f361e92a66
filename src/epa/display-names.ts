/**
 * The one place of display names: every stage, deadline, owner, event type and message kind as a
 * person reads it, and London dates and times in words. Pages (through src/app), emails
 * (activities/templates.ts) and CSVs all take their words from here; a unit test checks that every
 * key the code has is named. Names of components, standards and EPAOs come from the rule files
 * (rules/), passed in as the plan or policy. Pure: no clock, no I/O.
 */
import type { Role } from './deadlines';
import type { EpaEventType } from './events';
import type { NotificationKind } from './notifications';
import type { AttemptKind, Stage } from './state';

/** Where an EPA stands, in words ("In assessment", never "InAssessment"). */
export const stageNames: Record<Stage, string> = {
  PreGateway: 'Before the gateway',
  GatewayReview: 'Gateway in review',
  GatewayRejected: 'Gateway rejected',
  InAssessment: 'In assessment',
  AwaitingResults: 'Awaiting results',
  Resit: 'Resit or retake',
  Rework: 'Rework',
  AwaitingCertificate: 'Awaiting the certificate claim',
  CertificateClaimed: 'Certificate claimed',
  Completed: 'Completed',
  Withdrawn: 'Withdrawn',
};

/** Who acts, as a table cell or a filter choice ("EPAO", "training provider"): the board's words. */
export const ownerNames: Record<Role, string> = {
  epaoAdmin: 'EPAO',
  assessor: 'assessor',
  apprentice: 'apprentice',
  employer: 'employer',
  provider: 'training provider',
};

/** Who acts, in a sentence ("the apprentice", "the EPAO"). */
export const ownerPhrases: Record<Role, string> = {
  epaoAdmin: 'the EPAO',
  assessor: 'the assessor',
  apprentice: 'the apprentice',
  employer: 'the employer',
  provider: 'the provider',
};

/** A role as a sentence names it; an unknown one (an old record) as "someone". */
export function ownerPhrase(role: string | undefined): string {
  return (role && ownerPhrases[role as Role]) || 'someone';
}

/**
 * Each deadline the core derives (src/epa/deadlines.ts), by its key without a component
 * (`resultDue.<component>` is `resultDue`); a component's own submission deadline is named by the
 * `deadlineKey` its rule file gives it (reportDue, portfolioDue).
 */
export const deadlineNames: Record<string, string> = {
  gatewayReviewDue: 'gateway review',
  gatewayFormDue: 'gateway form',
  planningMeetingDue: 'planning meeting',
  epaPeriodEnds: 'end of the EPA period',
  projectCompletionDue: 'work-based project',
  observationNoticeBy: 'observation notice',
  reportDue: 'project report',
  portfolioDue: 'portfolio of evidence',
  resultsDue: 'EPA results',
  resultDue: 'result',
  certificateClaimDue: 'certificate claim',
  certificateReceivedDue: 'certificate',
  reworkDue: 'reworked project',
  resitDeadline: 'resits and retakes',
};

/**
 * Who acts on each deadline (as src/epa/deadlines.ts sets it: a test keeps the two the same) and
 * the next action, in the board's words. `resultDue.<component>` is `resultDue`.
 */
export const deadlineActions: Record<string, { owner: Role; action: string }> = {
  gatewayReviewDue: { owner: 'epaoAdmin', action: 'Review the gateway evidence, then pass or reject it' },
  gatewayFormDue: { owner: 'employer', action: "Chase the employer's gateway form" },
  planningMeetingDue: { owner: 'epaoAdmin', action: 'Book and hold the planning meeting' },
  epaPeriodEnds: { owner: 'epaoAdmin', action: 'Take the remaining assessments, or record extenuating circumstances' },
  projectCompletionDue: { owner: 'apprentice', action: 'Chase the finished project' },
  observationNoticeBy: { owner: 'epaoAdmin', action: 'Book the observation with its notice' },
  reportDue: { owner: 'apprentice', action: 'Chase the project report' },
  portfolioDue: { owner: 'apprentice', action: 'Chase the portfolio' },
  resultDue: { owner: 'epaoAdmin', action: 'Grade, moderate and publish the result' },
  resultsDue: { owner: 'epaoAdmin', action: 'Grade and publish the results' },
  reworkDue: { owner: 'apprentice', action: 'Chase the reworked project' },
  resitDeadline: { owner: 'apprentice', action: 'Book the resit or retake' },
  certificateClaimDue: { owner: 'epaoAdmin', action: 'Claim the certificate' },
  certificateReceivedDue: { owner: 'epaoAdmin', action: 'Chase the certificate with the assessment service' },
};

/** What a component is called: its name in the rule file, else its id. */
export type ComponentNames = Record<string, string>;

/** A plan's component names by id, from its rule file (`components[].name`). */
export function componentNamesOf(plan: { components: readonly { id: string; name: string }[] } | undefined): ComponentNames {
  return Object.fromEntries((plan?.components ?? []).map((c) => [c.id, c.name]));
}

/** A component in a sentence: its rule file's name with a lower-case first letter ("practical observation with Q&A"). */
export function componentPhrase(id: string, names: ComponentNames = {}): string {
  const name = names[id] ?? id;
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** A deadline key in words, lower case: "gateway review", "result of the practical observation with Q&A". */
export function deadlineName(key: string, components: ComponentNames = {}): string {
  const [base = '', component] = key.split('.');
  const name = deadlineNames[base] ?? 'deadline';
  return component ? `${name} of the ${componentPhrase(component, components)}` : name;
}

/** The first letter upper case, for a heading or a table cell. */
export const upperFirst = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Each event as the timeline titles it. */
export const eventNames: Record<EpaEventType, string> = {
  GatewaySubmitted: 'Gateway submitted',
  GatewayRejected: 'Gateway rejected',
  GatewayPassed: 'Gateway passed',
  GatewayEvidenceRecorded: 'Gateway evidence recorded',
  AssessmentBooked: 'Assessment booked',
  AssessmentCancelled: 'Assessment cancelled',
  ReportSubmitted: 'Project report handed in',
  PortfolioSubmitted: 'Portfolio handed in',
  ShowcaseSubmitted: 'Showcase handed in',
  ReworkSubmitted: 'Rework handed in',
  AssessmentTaken: 'Assessment taken',
  GradeRecorded: 'Grade recorded',
  ResultModerated: 'Result moderated',
  ResultPublished: 'Result published',
  PlanningMeetingBooked: 'Planning meeting booked',
  PlanningMeetingHeld: 'Planning meeting held',
  CertificateClaimed: 'Certificate claimed',
  CertificateReceived: 'Certificate received',
  CertificateDetailsRecorded: 'Certificate details recorded',
  CertificateClaimRetried: 'Certificate claim retried',
  CertificateClaimRefused: 'Certificate claim refused',
  CertificateStatusChanged: 'Certificate status changed',
  EpaOutcomeRecorded: 'Fail recorded with the assessment service',
  ExtenuatingCircumstances: 'Extenuating circumstances recorded',
  Withdrawn: 'Withdrawn from the EPA',
  ContactDetailsChanged: 'Contact details corrected',
  EventVoided: 'Entry voided',
  AppealLodged: 'Appeal lodged',
  AppealDecided: 'Appeal decided',
  NoteAdded: 'Note added',
  MessageSentAgain: 'Message sent again',
  CaseOwnerAssigned: 'Case owner assigned',
  TaskDone: 'Task marked done',
};

/** An event type in words; one this version does not know (an old history) as "Entry". */
export function eventName(type: string): string {
  return eventNames[type as EpaEventType] ?? 'Entry';
}

/** Each message kind, as the messages list names it. */
export const messageNames: Record<NotificationKind, string> = {
  assessmentReminder: 'Assessment reminder',
  deadlineReminder: 'Deadline reminder',
  deadlineNear: 'Deadline near',
  deadlineMissed: 'Deadline missed',
  epaPeriodEscalation: 'EPA period ending',
  invite: 'Calendar invite',
  inviteCancelled: 'Invite cancelled',
  inviteCancelledAtOldAddress: 'Invite cancelled at the old address',
  missedBeforeEntry: 'Deadlines missed before the EPA was entered',
  importSummary: 'Import summary',
  gatewayOutcome: 'Gateway outcome',
  resultPublished: 'Result',
  appealDecided: 'Appeal outcome',
  resitWindowClosing: 'Resit window closing',
  certificateClaimed: 'Certificate claimed',
  certificateReceived: 'Certificate received',
  planningMeeting: 'Planning meeting',
  planningMeetingHeld: 'Planning meeting held',
  certificateClaimRefused: 'Certificate claim refused',
  certificateNotDelivered: 'Certificate not delivered',
  messageFailed: 'Message failed',
};

export function messageName(kind: string): string {
  return messageNames[kind as NotificationKind] ?? 'Message';
}

/** Which attempt, in words. */
export const attemptNames: Record<AttemptKind, string> = {
  first: 'first attempt',
  resit: 'resit',
  rework: 'rework',
  retake: 'retake',
};

const DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const WALL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A London date (YYYY-MM-DD) in words: "Tuesday 11 May 2027"; anything else unchanged. */
export function dateInWords(date: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? '');
  if (!m) return date ?? '';
  const parts = Object.fromEntries(DAY.formatToParts(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!)).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
}

/** A wall-clock time (HH:MM) in words: "10:00am", "2:30pm", "12:00pm" (midday). */
export function timeInWords(time: string): string {
  const m = /^(\d{1,2}):(\d{2})/.exec(time);
  if (!m) return time;
  const h = Number(m[1]);
  return `${h % 12 === 0 ? 12 : h % 12}:${m[2]}${h < 12 ? 'am' : 'pm'}`;
}

/** A London date and time (`2027-05-11T10:00`, as the events carry it) in words: "Tuesday 11 May 2027 at 10:00am". */
export function dateTimeInWords(value: string | null | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value ?? '');
  if (!m) return dateInWords(value);
  return `${dateInWords(m[1])} at ${timeInWords(m[2]!)}`;
}

/** An instant (ISO 8601 with Z or an offset) as London time in words: "Tuesday 11 May 2027 at 10:00am". */
export function instantInWords(iso: string | null | undefined): string {
  const at = Date.parse(iso ?? '');
  if (Number.isNaN(at)) return iso ?? '';
  const p = Object.fromEntries(WALL.formatToParts(at).map((x) => [x.type, x.value]));
  return dateTimeInWords(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`);
}

/** Every ISO date or London date-time inside a sentence (a rule's message) put in words. */
export function datesInWords(text: string): string {
  return text.replace(/\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?/g, (m) =>
    m.length === 10 ? dateInWords(m) : /Z|[+-]\d{2}:\d{2}$/.test(m) && m.length > 16 ? instantInWords(m) : dateTimeInWords(m),
  );
}
