/**
 * One apprentice's EPA page as a case file, in words: what happens next (the next one to three
 * actions, who acts and by when, and the form that records each), the gateway-evidence checklist
 * before the gateway passes, the timeline (MoJ style: title, when, by whom, reason, what it did),
 * and the record forms the stage allows now, grouped. Pure functions of the EPA's status and its
 * plan's component names; every name comes from src/epa/display-names.ts.
 */
import { taskTitle } from '../epa/tasks';
import type { Deadline } from '../epa/deadlines';
import type { EpaEventType } from '../epa/events';
import type { Attempt, ComponentState } from '../epa/state';
import type { TimelineEntry } from '../epa/timeline';
import {
  componentPhrase,
  dateInWords,
  datesInWords,
  dateTimeInWords,
  deadlineName,
  eventName,
  instantInWords,
  messageName,
  ownerPhrase,
  stageNames,
  upperFirst,
  type ComponentNames,
} from '../epa/display-names';
import type { EpaStatus } from '../../workflows/definitions';
import type { EventForm } from './event-forms';

/** What the case file reads of a status (the fake and the workflow give the same). */
export type CaseStatus = Pick<
  EpaStatus,
  'stage' | 'deadlines' | 'components' | 'gatewayEvidence' | 'gatewayEvidenceMissing' | 'timeline' | 'overrides' | 'violations'
> &
  Partial<Pick<EpaStatus, 'tasks'>>;

/** One thing that has to happen next. */
export interface NextStep {
  /** What has to happen, as an instruction ("Hand in the project report"). */
  action: string;
  /** Who acts, in words ("the apprentice"). */
  who: string;
  /** The same, to start a line ("The apprentice"). */
  whoTitle: string;
  /** The London date it is due by ('' when no date applies). */
  due: string;
  /** "by Tuesday 11 May 2027", or "was due by …" once missed; '' when no date applies. */
  dueWords: string;
  overdue: boolean;
  /** The record form for it, when the stage offers one now (and which component it is for). */
  form?: { type: EpaEventType; title: string; component?: string };
}

/** What has to happen for each deadline, as an instruction to whoever acts. */
export const deadlineTasks: Record<string, string> = {
  gatewayReviewDue: 'Review the gateway evidence, then pass or reject the gateway',
  gatewayFormDue: 'Send the gateway form',
  planningMeetingDue: 'Hold the planning meeting',
  epaPeriodEnds: 'Take every remaining assessment before the EPA period ends',
  projectCompletionDue: 'Finish the work-based project',
  observationNoticeBy: 'Book the observation, giving its notice',
  reportDue: 'Hand in the project report',
  portfolioDue: 'Hand in the portfolio of evidence',
  resultDue: 'Grade, moderate and publish the result',
  resultsDue: 'Grade and publish the EPA results',
  reworkDue: 'Hand in the reworked project',
  resitDeadline: 'Take the resit or retake',
  certificateClaimDue: 'Claim the certificate',
  certificateReceivedDue: 'Receive the certificate from the assessment service',
};

/** The form that records each deadline's action (resultDue: the next step of its component's result). */
const deadlineForms: Record<string, EpaEventType | undefined> = {
  gatewayReviewDue: 'GatewayPassed',
  gatewayFormDue: undefined,
  planningMeetingDue: 'PlanningMeetingHeld',
  epaPeriodEnds: 'AssessmentBooked',
  projectCompletionDue: 'ReportSubmitted',
  observationNoticeBy: 'AssessmentBooked',
  reportDue: 'ReportSubmitted',
  portfolioDue: 'PortfolioSubmitted',
  resultDue: 'GradeRecorded',
  resultsDue: 'GradeRecorded',
  reworkDue: 'ReworkSubmitted',
  resitDeadline: 'AssessmentBooked',
  certificateClaimDue: 'CertificateClaimed',
  certificateReceivedDue: 'CertificateReceived',
};

const latest = (c: ComponentState | undefined): Attempt | undefined => c?.attempts[c.attempts.length - 1];

/** A component's result, one step at a time: grade it, moderate it (where the plan moderates), publish it. */
function resultForm(c: ComponentState | undefined): EpaEventType {
  const a = c?.attempts.find((x) => x.takenOn && !x.publishedOn) ?? latest(c);
  if (!a?.takenOn) return 'AssessmentTaken';
  if (!a.grade) return 'GradeRecorded';
  if (!a.moderatedOn) return 'ResultModerated';
  return 'ResultPublished';
}

function dueWords(due: string, overdue: boolean): string {
  return due ? `${overdue ? 'was due by' : 'by'} ${dateInWords(due)}` : '';
}

/**
 * The next one to three things to happen, soonest first: each open or missed deadline (who owes it,
 * from the core's deadline), the gateway evidence still missing before the gateway passes, and each
 * assessment not yet booked while the EPA is in assessment. `forms`: the forms the page may offer
 * now (empty for someone who cannot record): a step links only to one of them.
 */
export function nextSteps(status: CaseStatus, names: ComponentNames, forms: readonly EventForm[], limit = 3): NextStep[] {
  const offered = new Map(forms.map((f) => [f.type, f]));
  const link = (type: EpaEventType | undefined, component?: string): NextStep['form'] => {
    const f = type && offered.get(type);
    return f ? { type: f.type, title: f.title, ...(component && { component }) } : undefined;
  };
  const steps: Omit<NextStep, 'whoTitle'>[] = [];
  const beforeGateway = ['PreGateway', 'GatewayReview', 'GatewayRejected'].includes(status.stage);
  const review = status.deadlines.find((d) => d.key === 'gatewayReviewDue' && (d.status === 'open' || d.status === 'missed'));
  if (beforeGateway && status.gatewayEvidenceMissing.length > 0) {
    const missing = status.gatewayEvidence.filter((e) => !e.met).map((e) => e.name);
    const overdue = review?.status === 'missed';
    steps.push({
      action: `Record the gateway evidence still missing: ${missing.join(', ')}`,
      who: ownerPhrase('epaoAdmin'),
      due: review?.due ?? '',
      dueWords: dueWords(review?.due ?? '', overdue),
      overdue,
      form: link('GatewayEvidenceRecorded'),
    });
  }
  if (status.stage === 'GatewayRejected')
    steps.push({
      action: 'Put right what the gateway review found, then submit the gateway again',
      who: `${ownerPhrase('employer')} and ${ownerPhrase('provider')}`,
      due: '',
      dueWords: '',
      overdue: false,
    });
  const pending = status.deadlines
    .filter((d) => d.status === 'open' || d.status === 'missed')
    .sort((a, b) => a.due.localeCompare(b.due));
  const bookings: Omit<NextStep, 'whoTitle'>[] = [];
  if (['InAssessment', 'Resit', 'Rework'].includes(status.stage)) {
    const end = status.deadlines.find((d) => d.key === 'epaPeriodEnds');
    for (const [id, c] of Object.entries(status.components)) {
      const a = latest(c);
      const needsBooking = !a || (a.grade === 'Fail' && a.publishedOn) || (!a.booking && !a.takenOn);
      if (!needsBooking) continue;
      const overdue = end?.status === 'missed';
      bookings.push({
        action: `Book the ${componentPhrase(id, names)}`,
        who: ownerPhrase('epaoAdmin'),
        due: end?.due ?? '',
        dueWords: end ? dueWords(end.due, overdue) : '',
        overdue,
        form: link('AssessmentBooked', id),
      });
    }
  }
  // The end of the EPA period is said as the bookings it needs, where some are still to make.
  for (const d of pending)
    if (!(d.key === 'epaPeriodEnds' && bookings.length > 0)) steps.push(deadlineStep(d, status, names, link));
  steps.push(...bookings);
  // Soonest first; undated steps (waiting on others) last; one step per action.
  const seen = new Set<string>();
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => (a.s.due || '9999').localeCompare(b.s.due || '9999') || a.i - b.i)
    .map(({ s }) => s)
    .filter((s) => !seen.has(s.action) && seen.add(s.action))
    .slice(0, limit)
    .map((s) => ({ ...s, whoTitle: upperFirst(s.who) }));
}

function deadlineStep(
  d: Deadline,
  status: CaseStatus,
  names: ComponentNames,
  link: (type: EpaEventType | undefined, component?: string) => NextStep['form'],
): Omit<NextStep, 'whoTitle'> {
  const [base = '', keyComponent] = d.key.split('.');
  const component = keyComponent ?? d.component;
  const overdue = d.status === 'missed';
  let type = deadlineForms[base];
  if (base === 'resultDue') type = resultForm(component ? status.components[component] : undefined);
  if (base === 'planningMeetingDue' && !status.timeline.some((t) => t.type === 'PlanningMeetingBooked'))
    type = 'PlanningMeetingBooked';
  let action = deadlineTasks[base] ?? `Meet the ${deadlineName(d.key, names)} deadline`;
  if (base === 'resultDue' && component) action = `${action} of the ${componentPhrase(component, names)}`;
  return {
    action,
    who: ownerPhrase(d.owner),
    due: d.due,
    dueWords: dueWords(d.due, overdue),
    overdue,
    form: link(type, component),
  };
}

/** One row of the gateway-evidence checklist: what the plan or EPAO requires, what is recorded, and what is missing. */
export interface EvidenceRow {
  name: string;
  recorded: string;
  met: boolean;
  /** Why a recorded item does not count ('' when none). */
  detail: string;
}

/** The checklist before the gateway passes (src/epa/gateway-evidence.ts); undefined once it has passed. */
export function gatewayChecklist(status: CaseStatus): { rows: EvidenceRow[]; missing: string[] } | undefined {
  if (!['PreGateway', 'GatewayReview', 'GatewayRejected'].includes(status.stage)) return undefined;
  const rows = status.gatewayEvidence.map((e) => ({
    name: upperFirst(e.name),
    recorded: e.on ? `Recorded ${dateInWords(e.on)}` : 'Not recorded',
    met: e.met,
    detail: e.detail ?? '',
  }));
  return { rows, missing: status.gatewayEvidence.filter((e) => !e.met).map((e) => e.name) };
}

/** One entry of the timeline as the page shows it (MoJ timeline). */
export interface TimelineItem {
  title: string;
  /** The London date it happened, and in words. */
  on: string;
  when: string;
  by: string;
  reason: string;
  /** What it did, in words. */
  lines: string[];
  /** Set when a later entry voided this one: when and by whom, in words. */
  voided: string;
  recorded: string;
  /** A note's text (NoteAdded), as staff wrote it; '' for any other entry. */
  note: string;
}

/**
 * The timeline, newest first, each entry saying what it did in words (never a key or an event type
 * name). `log` and `subjects` (the kept copies' subjects by key and role) name a message sent again.
 */
export function timelineItems(
  status: CaseStatus,
  names: ComponentNames,
  log: readonly { key: string; kind: string; role?: string }[] = [],
  subjects: ReadonlyMap<string, string> = new Map(),
): TimelineItem[] {
  const byId = new Map(status.timeline.filter((t) => t.eventId).map((t) => [t.eventId!, t]));
  const voidedBy = new Map(status.timeline.filter((t) => t.voids).map((t) => [t.voids!, t]));
  return [...status.timeline].reverse().map((t) => {
    const lines: string[] = [];
    if (t.component) lines.push(upperFirst(componentPhrase(t.component, names)));
    if (t.at) lines.push(`${t.type === 'PlanningMeetingBooked' ? 'Meeting' : 'Booked for'} ${dateTimeInWords(t.at)}`);
    if (t.message) {
      const { key, role } = t.message;
      const kind = log.find((l) => l.key === key)?.kind ?? '';
      const subject = subjects.get(`${key}\u0000${role}`) ?? messageName(kind);
      lines.push(`“${subject}” to ${ownerPhrase(role)}`);
    }
    if (t.voids) {
      const target = byId.get(t.voids);
      lines.push(
        target
          ? `Voided the entry “${eventName(target.type)}” of ${dateInWords(target.on)}${target.component ? ` (${componentPhrase(target.component, names)})` : ''}`
          : 'Voided an earlier entry',
      );
    }
    for (const o of status.overrides.filter((x) => x.event === t.number - 1)) {
      const broken = status.violations.find((v) => v.rule === o.rule && v.event === o.event);
      lines.push(`Recorded anyway, breaking the rule: ${datesInWords(broken?.message ?? 'a rule of the plan or the EPAO')}`);
    }
    if (t.owner) lines.push(`Case owner: ${t.owner}`);
    if (t.task) {
      const task = status.tasks?.find((x) => x.key === t.task);
      lines.push(task ? `Marked done: ${taskTitle(task, names)}` : 'Marked a task done');
    }
    // The workflow also notes a void among what it changed: said once, by the line above.
    lines.push(...t.changed.filter((c) => !(t.voids && VOIDED_LINE.test(c))).map((c) => changeInWords(c, names)));
    const voider = t.eventId ? voidedBy.get(t.eventId) : undefined;
    return {
      title: eventName(t.type),
      on: t.on,
      when: dateInWords(t.on),
      by: t.by ?? '',
      reason: t.reason ?? '',
      lines,
      voided: voider ? `Voided on ${dateInWords(voider.on)}${voider.by ? ` by ${voider.by}` : ''}` : '',
      recorded: instantInWords(t.recordedAt),
      note: t.note ?? '',
    };
  });
}

/**
 * One of the core's "what it changed" lines (src/epa/timeline.ts describeChange, contacts.ts) in
 * words: stages, deadline keys and component ids become their display names.
 */
/** The workflow's own line for a void (workflows/epa/events.ts): "voided the AssessmentBooked of 2027-03-01". */
const VOIDED_LINE = /^voided the (\w+) of (\d{4}-\d{2}-\d{2})$/;

export function changeInWords(line: string, names: ComponentNames): string {
  const stage = (s: string) => stageNames[s as keyof typeof stageNames] ?? s;
  let m = /^stage (\w+) → (\w+)$/.exec(line);
  if (m) return `Stage now ${stage(m[2]!).toLowerCase()} (was ${stage(m[1]!).toLowerCase()})`;
  m = /^stage (\w+)$/.exec(line);
  if (m) return `Stage: ${stage(m[1]!).toLowerCase()}`;
  m = /^new deadline (\S+) due (\d{4}-\d{2}-\d{2})$/.exec(line);
  if (m) return `New deadline: ${deadlineName(m[1]!, names)}, by ${dateInWords(m[2])}`;
  m = /^(\w+(?:\.\w+)?) (met\b.*)$/.exec(line);
  if (m) return `${upperFirst(deadlineName(m[1]!, names))} deadline ${m[2]}`;
  m = /^(\w+) graded (\w+)$/.exec(line);
  if (m) return `${upperFirst(componentPhrase(m[1]!, names))} graded ${m[2]}`;
  m = VOIDED_LINE.exec(line);
  if (m) return `Voided the entry “${eventName(m[1]!)}” of ${dateInWords(m[2])}`;
  m = /^(\w+)'s (name|email|organisation) changed$/.exec(line);
  if (m) return `${upperFirst(ownerPhrase(m[1]))}'s ${m[2]} changed`;
  return upperFirst(line);
}

/** The record forms, grouped as the page offers them. */
const GROUPS: { heading: string; types: EpaEventType[] }[] = [
  { heading: 'Gateway', types: ['GatewayEvidenceRecorded', 'GatewayPassed', 'GatewayRejected'] },
  { heading: 'Work handed in', types: ['PortfolioSubmitted', 'ShowcaseSubmitted', 'ReportSubmitted', 'ReworkSubmitted'] },
  {
    heading: 'Book',
    types: ['PlanningMeetingBooked', 'PlanningMeetingHeld', 'AssessmentBooked', 'AssessmentCancelled'],
  },
  { heading: 'Record a result', types: ['AssessmentTaken', 'GradeRecorded', 'ResultModerated', 'ResultPublished'] },
  {
    heading: 'Certificate',
    types: ['CertificateDetailsRecorded', 'CertificateClaimed', 'CertificateClaimRetried', 'CertificateReceived'],
  },
  { heading: 'Appeals and extenuating circumstances', types: ['AppealLodged', 'AppealDecided', 'ExtenuatingCircumstances'] },
  { heading: 'Corrections', types: ['ContactDetailsChanged', 'Withdrawn'] },
];

/** `forms` in their groups (a form in no group goes under Corrections); empty groups left out. */
export function formGroups(forms: readonly EventForm[]): { heading: string; forms: EventForm[] }[] {
  const placed = new Set(GROUPS.flatMap((g) => g.types));
  return GROUPS.map((g) => ({
    heading: g.heading,
    forms: forms.filter((f) => g.types.includes(f.type) || (g.heading === 'Corrections' && !placed.has(f.type))),
  })).filter((g) => g.forms.length > 0);
}

/** The timeline entries a test or page may want as they were (the core's). */
export type { TimelineEntry };
