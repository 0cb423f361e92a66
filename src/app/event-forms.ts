/**
 * Recording events from the staff pages: which forms an EPA's stage offers, each form's fields,
 * and turning a posted form into the event the API would take. The rules stay in the core: a form
 * only collects fields; whatever it sends is checked by the workflow exactly as an API call is
 * (a violation comes back with its rule and citation, and may be recorded anyway with a reason).
 */
import { randomUUID } from 'node:crypto';
import { EnglishMathsLevel } from '../plans/schema';
import { gradeNames } from '../plans/grades';
import type { EpaEventType } from '../epa/events';
import type { ComponentState, Stage } from '../epa/state';
import type { EpaClient } from './epa-client';
import type { EpaSummary } from '../../workflows/definitions';
import { isLondonDate, londonDateTimeProblem } from '../calendar/london';

export type FieldKind = 'date' | 'datetime' | 'component' | 'grade' | 'text' | 'email' | 'number' | 'reason' | 'yesno' | 'choice';

export interface FormField {
  name: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  optional?: boolean;
  /** For `choice`: the values offered. */
  options?: readonly string[];
  /** For `choice`: each value's words, when they differ from the value. */
  labels?: Readonly<Record<string, string>>;
}

export interface EventForm {
  type: EpaEventType;
  title: string;
  fields: FormField[];
}

const on: FormField = { name: 'on', kind: 'date', label: 'When did it happen?' };
const component: FormField = { name: 'component', kind: 'component', label: 'Which assessment?' };
const reason: FormField = { name: 'reason', kind: 'reason', label: 'Reason' };

/** Every form the pages offer, by event type. */
export const eventForms: Partial<Record<EpaEventType, EventForm>> = {
  GatewayEvidenceRecorded: {
    type: 'GatewayEvidenceRecorded',
    title: 'Record gateway evidence',
    fields: [
      on,
      {
        name: 'english',
        kind: 'choice',
        label: 'English level achieved',
        options: [...EnglishMathsLevel.options, 'BSL'],
        optional: true,
      },
      { name: 'maths', kind: 'choice', label: 'Maths level achieved', options: EnglishMathsLevel.options, optional: true },
      { name: 'ehcPlanOrLegacyStatement', kind: 'yesno', label: 'An EHC plan or legacy statement', optional: true },
      { name: 'employerSignOff', kind: 'yesno', label: 'The employer has signed off', optional: true },
      { name: 'declarationSigned', kind: 'yesno', label: 'The declaration is signed', optional: true },
      { name: 'projectSynopsisAgreed', kind: 'yesno', label: 'The project synopsis is agreed', optional: true },
      {
        name: 'reasonableAdjustments',
        kind: 'choice',
        label: 'Reasonable adjustments',
        options: ['none', 'requested'],
        optional: true,
      },
    ],
  },
  PortfolioSubmitted: {
    type: 'PortfolioSubmitted',
    title: 'Portfolio handed in',
    fields: [on, { name: 'pieces', kind: 'number', label: 'Pieces of evidence' }],
  },
  ShowcaseSubmitted: {
    type: 'ShowcaseSubmitted',
    title: 'Showcase handed in',
    fields: [on, { name: 'pieces', kind: 'number', label: 'Pieces of evidence' }],
  },
  ReportSubmitted: {
    type: 'ReportSubmitted',
    title: 'Project report handed in',
    fields: [on, { name: 'words', kind: 'number', label: 'Words (excluding annexes)' }],
  },
  GatewayPassed: { type: 'GatewayPassed', title: 'Pass the gateway', fields: [on] },
  GatewayRejected: { type: 'GatewayRejected', title: 'Reject the gateway', fields: [on, reason] },
  PlanningMeetingBooked: {
    type: 'PlanningMeetingBooked',
    title: 'Book the planning meeting',
    fields: [on, { name: 'at', kind: 'datetime', label: 'Meeting date and time (London)' }],
  },
  PlanningMeetingHeld: { type: 'PlanningMeetingHeld', title: 'Planning meeting held', fields: [on] },
  AssessmentBooked: {
    type: 'AssessmentBooked',
    title: 'Book an assessment',
    fields: [
      on,
      component,
      { name: 'at', kind: 'datetime', label: 'Assessment date and time (London)' },
      { name: 'location', kind: 'text', label: 'Where', optional: true },
      { name: 'assessorName', kind: 'text', label: "Assessor's name", optional: true },
      { name: 'assessorEmail', kind: 'email', label: "Assessor's email", optional: true },
    ],
  },
  AssessmentCancelled: { type: 'AssessmentCancelled', title: 'Cancel an assessment', fields: [on, component, reason] },
  AssessmentTaken: { type: 'AssessmentTaken', title: 'Assessment taken', fields: [on, component] },
  GradeRecorded: {
    type: 'GradeRecorded',
    title: 'Record a grade',
    fields: [on, component, { name: 'grade', kind: 'grade', label: 'Grade' }],
  },
  ResultModerated: { type: 'ResultModerated', title: 'Decision moderated', fields: [on, component] },
  ResultPublished: { type: 'ResultPublished', title: 'Publish a result', fields: [on, component] },
  ReworkSubmitted: {
    type: 'ReworkSubmitted',
    title: 'Rework handed in',
    fields: [on, { name: 'words', kind: 'number', label: 'Words', optional: true }],
  },
  CertificateClaimed: { type: 'CertificateClaimed', title: 'Certificate claimed', fields: [on] },
  CertificateReceived: { type: 'CertificateReceived', title: 'Certificate received', fields: [on] },
  CertificateDetailsRecorded: {
    type: 'CertificateDetailsRecorded',
    title: 'Record the certificate details',
    fields: [
      on,
      {
        name: 'familyName',
        kind: 'text',
        label: "Apprentice's family name",
        hint: 'As the ILR holds it; leave it out if it is the last word of their name',
        optional: true,
      },
      { name: 'postal-contactName', kind: 'text', label: 'Post the certificate to (name)' },
      { name: 'postal-organisation', kind: 'text', label: 'Organisation' },
      { name: 'postal-department', kind: 'text', label: 'Department', optional: true },
      { name: 'postal-addressLine1', kind: 'text', label: 'Address line 1' },
      { name: 'postal-addressLine2', kind: 'text', label: 'Address line 2', optional: true },
      { name: 'postal-addressLine3', kind: 'text', label: 'Address line 3', optional: true },
      { name: 'postal-city', kind: 'text', label: 'Town or city' },
      { name: 'postal-postCode', kind: 'text', label: 'Postcode' },
    ],
  },
  CertificateClaimRetried: { type: 'CertificateClaimRetried', title: 'Retry the certificate claim', fields: [on] },
  ContactDetailsChanged: {
    type: 'ContactDetailsChanged',
    title: 'Correct contact details',
    fields: [
      on,
      { name: 'role', kind: 'choice', label: 'Whose details', options: ['apprentice', 'employer', 'provider', 'epaoAdmin'] },
      { name: 'name', kind: 'text', label: 'Name', optional: true },
      { name: 'email', kind: 'email', label: 'Email', optional: true },
      { name: 'organisation', kind: 'text', label: 'Organisation (employer or provider)', optional: true },
      { ...reason, optional: true },
    ],
  },
  Withdrawn: { type: 'Withdrawn', title: 'Withdraw from the EPA', fields: [on, reason] },
  AppealLodged: {
    type: 'AppealLodged',
    title: 'Lodge an appeal',
    fields: [{ ...on, label: 'When was the appeal lodged?' }, { ...component, label: 'Which result is appealed?' }, reason],
  },
  AppealDecided: {
    type: 'AppealDecided',
    title: 'Record the appeal decision',
    fields: [
      { ...on, label: 'When was it decided?' },
      { ...component, label: 'Which appeal?' },
      {
        name: 'outcome',
        kind: 'choice',
        label: 'Decision',
        options: ['upheld', 'dismissed'],
        labels: { upheld: 'Upheld: the grade changes', dismissed: 'Dismissed: the grade stands' },
      },
      { name: 'grade', kind: 'grade', label: 'New grade (upheld only)', optional: true },
      { ...reason, optional: true },
    ],
  },
  ExtenuatingCircumstances: {
    type: 'ExtenuatingCircumstances',
    title: 'Record extenuating circumstances',
    fields: [on, { ...component, label: 'Which assessment do they affect?' }, { ...reason, optional: true }],
  },
};

/** Forms whose answers are checked on a check-your-answers page (the effects shown) before they are recorded. */
export const CHECKED_FIRST: ReadonlySet<EpaEventType> = new Set([
  'Withdrawn',
  'AppealLodged',
  'AppealDecided',
  'ExtenuatingCircumstances',
]);

/** The forms an EPA's stage offers (the workflow still decides whether the event is admissible). */
const byStage: Record<Stage, EpaEventType[]> = {
  PreGateway: ['ContactDetailsChanged', 'Withdrawn'],
  GatewayReview: ['GatewayEvidenceRecorded', 'PortfolioSubmitted', 'ShowcaseSubmitted', 'GatewayPassed', 'GatewayRejected'],
  GatewayRejected: ['GatewayEvidenceRecorded', 'PortfolioSubmitted', 'ShowcaseSubmitted'],
  InAssessment: [
    'PlanningMeetingBooked',
    'PlanningMeetingHeld',
    'AssessmentBooked',
    'AssessmentCancelled',
    'AssessmentTaken',
    'ReportSubmitted',
    'PortfolioSubmitted',
    'GradeRecorded',
    'ResultModerated',
    'ResultPublished',
  ],
  AwaitingResults: ['GradeRecorded', 'ResultModerated', 'ResultPublished', 'AssessmentBooked'],
  Resit: ['AssessmentBooked', 'AssessmentCancelled', 'AssessmentTaken', 'GradeRecorded', 'ResultModerated', 'ResultPublished'],
  Rework: ['ReworkSubmitted', 'AssessmentBooked', 'AssessmentTaken', 'GradeRecorded', 'ResultModerated', 'ResultPublished'],
  AwaitingCertificate: ['CertificateClaimed', 'CertificateDetailsRecorded', 'CertificateClaimRetried'],
  CertificateClaimed: ['CertificateReceived', 'CertificateDetailsRecorded'],
  Completed: [],
  Withdrawn: [],
};

/** The certificate details may be recorded as soon as the EPA is under way; a refused fail record may be retried from a resit or rework. */
const CERTIFICATE_DETAILS: Record<Stage, EpaEventType[]> = {
  PreGateway: [],
  GatewayReview: ['CertificateDetailsRecorded'],
  GatewayRejected: [],
  InAssessment: ['CertificateDetailsRecorded'],
  AwaitingResults: ['CertificateDetailsRecorded'],
  Resit: ['CertificateDetailsRecorded', 'CertificateClaimRetried'],
  Rework: ['CertificateDetailsRecorded', 'CertificateClaimRetried'],
  AwaitingCertificate: [],
  CertificateClaimed: [],
  Completed: [],
  Withdrawn: [],
};

export function formsFor(stage: Stage): EventForm[] {
  if (stage === 'Completed' || stage === 'Withdrawn') return [];
  const types = [
    ...new Set([...byStage[stage], ...CERTIFICATE_DETAILS[stage], 'ContactDetailsChanged', 'Withdrawn'] as EpaEventType[]),
  ];
  return types.map((t) => eventForms[t]!).filter(Boolean);
}

/** What formsNow reads of an EPA's status. */
export interface FormsNowStatus {
  stage: Stage;
  components: Record<string, ComponentState>;
  timeline: readonly { type: string }[];
}

/**
 * The forms the EPA allows now: its stage's (formsFor), without those with nothing to act on (no
 * booking to cancel or take, nothing taken to grade, nothing graded to moderate or publish, a
 * planning meeting already held or not yet booked).
 */
export function formsNow(status: FormsNowStatus): EventForm[] {
  const attempts = Object.values(status.components).flatMap((c) => c.attempts);
  const latest = Object.values(status.components).map((c) => c.attempts[c.attempts.length - 1]);
  const held = status.timeline.some((t) => t.type === 'PlanningMeetingHeld');
  const booked = status.timeline.some((t) => t.type === 'PlanningMeetingBooked');
  const allowed: Partial<Record<EpaEventType, boolean>> = {
    PlanningMeetingBooked: !held,
    PlanningMeetingHeld: booked && !held,
    AssessmentCancelled: latest.some((a) => a?.booking && !a.takenOn),
    AssessmentTaken: latest.some((a) => a?.booking && !a.takenOn),
    GradeRecorded: attempts.some((a) => a.takenOn && !a.publishedOn),
    ResultModerated: attempts.some((a) => a.grade && !a.publishedOn),
    ResultPublished: attempts.some((a) => a.grade && !a.publishedOn),
  };
  return formsFor(status.stage).filter((f) => allowed[f.type] !== false);
}

/** A posted form: field values as strings (date parts as `<name>-day`, `-month`, `-year`; times as `<name>-time`). */
export type PostedForm = Record<string, string | undefined>;

export class FormFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const pad = (n: string) => n.trim().padStart(2, '0');

function dateOf(posted: PostedForm, name: string, label: string): string | undefined {
  const [d, m, y] = ['day', 'month', 'year'].map((p) => (posted[`${name}-${p}`] ?? '').trim());
  if (!d && !m && !y) return undefined;
  if (![d, m, y].every((v) => /^\d+$/.test(v!)) || y!.length !== 4)
    throw new FormFieldError(name, `${label} must be a real date, like 27 3 2027`);
  return `${y}-${pad(m!)}-${pad(d!)}`;
}

/**
 * The core's London check (londonDateTimeProblem), at the time box: a time that does not exist is
 * refused with the core's reason; one that happens twice asks for BST or GMT, as the form takes them.
 */
function checkLondonTime(value: string, field: string): void {
  const problem = londonDateTimeProblem(value);
  if (!problem || !isLondonDate(value.slice(0, 10))) return; // a date that is not a real day: said at the date, as before
  const wall = value.slice(0, 16);
  const twice = value.length === 16 && !londonDateTimeProblem(`${wall}+01:00`) && !londonDateTimeProblem(`${wall}+00:00`);
  if (!twice) throw new FormFieldError(field, problem);
  const time = wall.slice(11);
  throw new FormFieldError(
    field,
    `${time} on ${wall.slice(0, 10)} happens twice in London (the clocks go back at 02:00 BST): enter ${time} BST for the first or ${time} GMT for the second`,
  );
}

/** The event payload a form posts (what `POST /api/epas/{uln}/events` would take), or FormFieldError. */
export function eventFromForm(form: EventForm, posted: PostedForm): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  const englishMaths: Record<string, unknown> = {};
  const assessor: Record<string, unknown> = {};
  const postal: Record<string, unknown> = {};
  for (const f of form.fields) {
    const raw = (posted[f.name] ?? '').trim();
    let value: unknown;
    if (f.kind === 'date') value = dateOf(posted, f.name, f.label);
    else if (f.kind === 'datetime') {
      const date = dateOf(posted, f.name, f.label);
      const time = (posted[`${f.name}-time`] ?? '').trim();
      // The hour the clocks go back happens twice: "01:30 BST" (the first) or "01:30 GMT" (the second).
      const t = /^(\d{1,2})[:.](\d{2})(?:\s*(BST|GMT|[+-]\d{2}:\d{2}))?$/i.exec(time);
      if (date && !t) throw new FormFieldError(`${f.name}-time`, 'Enter the time like 10:00');
      const zone = t?.[3]?.toUpperCase();
      const offset = zone === 'BST' ? '+01:00' : zone === 'GMT' ? '+00:00' : (zone ?? '');
      value = date && `${date}T${pad(t![1]!)}:${t![2]}${offset}`;
      if (typeof value === 'string') checkLondonTime(value, `${f.name}-time`);
    } else if (f.kind === 'yesno') value = raw === 'yes' ? true : undefined;
    else if (f.kind === 'number') {
      if (raw && !/^\d+$/.test(raw)) throw new FormFieldError(f.name, `${f.label} must be a whole number`);
      value = raw ? Number(raw) : undefined;
    } else value = raw || undefined;
    if (value === undefined) {
      if (!f.optional)
        throw new FormFieldError(
          f.kind === 'date' || f.kind === 'datetime' ? `${f.name}-day` : f.name,
          `Enter ${f.label.toLowerCase().replace(/\?$/, '')}`,
        );
      continue;
    }
    if (f.name === 'english' || f.name === 'maths' || f.name === 'ehcPlanOrLegacyStatement') englishMaths[f.name] = value;
    else if (f.name === 'assessorName') assessor.name = value;
    else if (f.name === 'assessorEmail') assessor.email = value;
    else if (f.name.startsWith('postal-')) postal[f.name.slice('postal-'.length)] = value;
    else payload[f.name] = value;
  }
  if (Object.keys(englishMaths).length > 0) payload.englishMaths = englishMaths;
  if (Object.keys(assessor).length > 0) payload.assessor = assessor;
  if (Object.keys(postal).length > 0) payload.postalContact = postal;
  const override = (posted.overrideReason ?? '').trim();
  if (override) payload.override = { reason: override };
  return payload;
}

/** A new form's idempotency key: the same form posted twice records its event once. */
export const newFormKey = (): string => randomUUID();

/** Records a form's event as `by`, under the form's key. */
export async function recordFromForm(
  epa: Pick<EpaClient, 'recordEvent'>,
  uln: string,
  form: EventForm,
  posted: PostedForm,
  by: string,
): Promise<EpaSummary> {
  const payload = eventFromForm(form, posted);
  const key = posted.formKey && /^[0-9a-f-]{36}$/.test(posted.formKey) ? posted.formKey : undefined;
  return await epa.recordEvent(uln, form.type, { ...payload, by }, key ? { idempotencyKey: key } : {});
}

export { gradeNames };
