/**
 * The staff pages' actions beyond the record forms (issue 29 part 2), in words: putting a mistaken
 * entry right (a void), the grades a component allows, appeals within the EPAO's window, and the
 * check-your-answers page's effects (the EPA after the action, as the rules core works it out in
 * the EPA's workflow: stage, deadlines that change, what will be sent to whom). Pure functions of
 * the status, the rules and a preview (EpaClient.preview); every name from src/epa/display-names.ts.
 */
import { addWorkingDays } from '../calendar/working-days';
import type { Deadline } from '../epa/deadlines';
import {
  componentNamesOf,
  componentPhrase,
  dateInWords,
  dateTimeInWords,
  datesInWords,
  deadlineName,
  eventName,
  instantInWords,
  messageName,
  ownerPhrase,
  stageNames,
  upperFirst,
  type ComponentNames,
} from '../epa/display-names';
import { SYSTEM_EVENT_TYPES } from '../epa/system-events';
import type { EpaView } from '../epa/evaluate';
import type { Notification } from '../epa/notifications';
import type { Attempt, ComponentState } from '../epa/state';
import { defaultGrades, type GradeName } from '../plans/grades';
import { rules } from '../plans';
import type { EpaStatus, PreviewAnswer } from '../../workflows/definitions';
import { startingState, view } from '../epa/evaluate';
import { eventForms, formsNow, type EventForm } from './event-forms';

/** The plan an EPA is pinned to, when the rule files still hold its version (its component names and grades). */
export function planOf(status: Pick<EpaStatus, 'rules'>) {
  return rules().plan(status.rules.standard, status.rules.version)?.data;
}

export function componentNames(status: Pick<EpaStatus, 'rules'>): ComponentNames {
  return componentNamesOf(planOf(status));
}

/** Entries a void can take out: entered by staff, with an id, not already voided (a void, a contact correction and a message sent again are not). */
const NOT_VOIDABLE = new Set(['EventVoided', 'ContactDetailsChanged', 'GatewaySubmitted', 'MessageSentAgain']);

export interface VoidChoice {
  eventId: string;
  /** "Assessment booked, Monday 8 March 2027" */
  text: string;
  /** What it was about: the component, the booking's date, who recorded it. */
  hint: string;
}

/** The timeline's entries that can be voided, newest first, in words. */
export function voidChoices(status: Pick<EpaStatus, 'timeline' | 'rules'>): VoidChoice[] {
  const names = componentNames(status);
  const voided = new Set(status.timeline.filter((t) => t.voids).map((t) => t.voids!));
  return [...status.timeline]
    .reverse()
    .filter((t) => t.eventId && !voided.has(t.eventId) && !NOT_VOIDABLE.has(t.type) && !SYSTEM_EVENT_TYPES.has(t.type))
    .map((t) => ({
      eventId: t.eventId!,
      text: `${eventName(t.type)}, ${dateInWords(t.on)}`,
      hint: [
        t.component ? upperFirst(componentPhrase(t.component, names)) : '',
        t.at ? `for ${dateTimeInWords(t.at)}` : '',
        t.by ? `recorded by ${t.by} on ${instantInWords(t.recordedAt)}` : `recorded ${instantInWords(t.recordedAt)}`,
      ]
        .filter(Boolean)
        .join(', '),
    }));
}

/** The grades a component is given (its plan's list, else Fail, Pass, Distinction): the only ones a grade form offers. */
export function allowedGrades(status: Pick<EpaStatus, 'rules'>, component: string | undefined): readonly GradeName[] {
  const components = planOf(status)?.components ?? [];
  const sets = components.filter((c) => component === undefined || c.id === component).map((c) => c.grades ?? defaultGrades);
  if (sets.length === 0) return defaultGrades;
  // Without a component: only the grades every component allows.
  return sets.reduce((a, b) => a.filter((g) => b.includes(g)));
}

const latest = (c: ComponentState): Attempt | undefined => c.attempts[c.attempts.length - 1];

export interface AppealOpen {
  component: string;
  name: string;
  /** The last day an appeal is within the EPAO's window, and in words. */
  closes: string;
  closesWords: string;
}

/**
 * The published results an appeal may be lodged against today: the latest attempt's, published,
 * not already appealed, within the EPAO's window (lodgeWithinWorkingDays after the result, the
 * EPAO's setting; 001 §8 has the EPAO manage appeals). As the reducer's AppealLodged judges them.
 */
export function appealsOpen(status: Pick<EpaStatus, 'rules' | 'components'>, today: string): AppealOpen[] {
  const policy = rules().policy(status.rules.epao)?.data;
  if (!policy) return [];
  const names = componentNames(status);
  return Object.entries(status.components).flatMap(([id, c]) => {
    const a = latest(c);
    if (!a?.grade || !a.publishedOn || a.appeal) return [];
    const closes = addWorkingDays(a.publishedOn, policy.appeals.lodgeWithinWorkingDays);
    if (today > closes) return [];
    return [{ component: id, name: upperFirst(componentPhrase(id, names)), closes, closesWords: dateInWords(closes) }];
  });
}

/** Appeals lodged and not yet decided: the components an appeal decision may be recorded for. */
export function appealsAwaiting(
  status: Pick<EpaStatus, 'rules' | 'components'>,
): { component: string; name: string; lodged: string }[] {
  const names = componentNames(status);
  return Object.entries(status.components).flatMap(([id, c]) =>
    c.attempts
      .filter((a) => a.appeal && !a.appeal.outcome)
      .map((a) => ({ component: id, name: upperFirst(componentPhrase(id, names)), lodged: dateInWords(a.appeal!.lodgedOn) })),
  );
}

/** Assessments not yet taken nor graded: those extenuating circumstances can rearrange (the reducer's rule). */
export function extenuatingComponents(status: Pick<EpaStatus, 'rules' | 'components' | 'epaStart'>): string[] {
  if (!status.epaStart) return [];
  return Object.entries(status.components)
    .filter(([, c]) => {
      const a = latest(c);
      return !a || (!a.takenOn && a.grade === undefined);
    })
    .map(([id]) => id);
}

/** What the check-your-answers page says the action will do. */
export interface Effects {
  stage: { was: string; now: string; changes: boolean };
  /** Deadlines that change, in words ("Report due: now by …, was by …"). */
  deadlines: string[];
  /** What will be sent to whom, in words; messages that will no longer be sent. */
  messages: string[];
  notSent: string[];
}

const open = (d: Deadline) => d.status === 'open' || d.status === 'missed';

function messageLine(n: Notification, names: ComponentNames, now: number): string {
  const to = n.address ? ownerPhrase(n.address.role) : n.to.map((r) => ownerPhrase(r)).join(' and ');
  const about = n.component ? ` (${componentPhrase(n.component, names)})` : '';
  const when = n.at <= now ? 'straight away' : `on ${instantInWords(new Date(n.at).toISOString())}`;
  return `${messageName(n.kind)}${about} to ${to}, ${when}`;
}

/**
 * The effects of an action in words, from the EPA as it stands and the core's preview of it after:
 * the stage, each deadline added, moved or no longer due, the messages the new state sends that
 * the old did not (and the calendar corrections a void sends), and those no longer to be sent.
 */
export function effectsInWords(
  before: Pick<EpaStatus, 'stage' | 'deadlines' | 'notifications' | 'rules'>,
  answer: Extract<PreviewAnswer, { view: EpaView }>,
  now: number,
): Effects {
  const names = componentNames(before);
  const after = answer.view;
  const was = new Map(before.deadlines.filter(open).map((d) => [d.key, d]));
  const is = new Map(after.deadlines.filter(open).map((d) => [d.key, d]));
  const deadlines: string[] = [];
  for (const [key, d] of is) {
    const old = was.get(key);
    const name = upperFirst(deadlineName(key, names));
    if (!old) deadlines.push(`${name}: now due by ${dateInWords(d.due)}`);
    else if (old.due !== d.due) deadlines.push(`${name}: now due by ${dateInWords(d.due)} (was by ${dateInWords(old.due)})`);
  }
  for (const [key, d] of was)
    if (!is.has(key)) deadlines.push(`${upperFirst(deadlineName(key, names))}: no longer due (was by ${dateInWords(d.due)})`);
  const beforeKeys = new Set(before.notifications.map((n) => n.key));
  const afterKeys = new Set(after.notifications.map((n) => n.key));
  const sent = [
    ...answer.corrections,
    ...after.notifications.filter((n) => !beforeKeys.has(n.key) && (n.expiresAt ?? Infinity) > now),
  ];
  const notSent = before.notifications.filter((n) => !afterKeys.has(n.key) && n.at > now);
  return {
    stage: {
      was: stageNames[before.stage] ?? before.stage,
      now: stageNames[after.stage] ?? after.stage,
      changes: before.stage !== after.stage,
    },
    deadlines,
    messages: sent.map((n) => messageLine(n, names, now)),
    notSent: notSent.map((n) => messageLine(n, names, now)),
  };
}

/** A refusal from the preview in words: the core's message with component ids as their names. */
export function refusalInWords(message: string, status: Pick<EpaStatus, 'rules'>): string {
  const names = componentNames(status);
  // A component's id as its name; a name the message already has (the core writes some) stays as it is.
  const ids = Object.keys(names);
  const pattern = new RegExp(
    [...Object.values(names).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), ...ids.map((id) => `\\b${id}\\b`)].join('|'),
    'gi',
  );
  const out = message.replace(pattern, (m) => (ids.includes(m) ? `the ${names[m]!.toLowerCase()}` : m));
  return upperFirst(out);
}

/** A warning or rule the core raised, in words: component ids as their names, dates and times in words. */
export function findingInWords(message: string, status: Pick<EpaStatus, 'rules'>): string {
  return datesInWords(refusalInWords(message, status));
}

/** The start request a restart sends: the EPA's people and pinned rules as they stand, from a new gateway submission. */
export function restartRequest(
  status: Pick<EpaStatus, 'uln' | 'people' | 'rules'>,
  gatewaySubmittedOn: string,
): Record<string, unknown> {
  return {
    uln: status.uln,
    ...status.people,
    standard: status.rules.standard,
    standardVersion: status.rules.version,
    epao: status.rules.epao,
    gatewaySubmittedOn,
  };
}

/**
 * The forms the EPA allows now (formsNow), with an appeal while a published result is within the
 * EPAO's window, its decision while one awaits it, and extenuating circumstances while an
 * assessment is still to be taken.
 */
export function actionFormsNow(status: EpaStatus, today: string): EventForm[] {
  const forms = formsNow(status);
  if (status.completed) return forms;
  const extra: EventForm[] = [];
  if (appealsOpen(status, today).length > 0) extra.push(eventForms.AppealLodged!);
  if (appealsAwaiting(status).length > 0) extra.push(eventForms.AppealDecided!);
  if (extenuatingComponents(status).length > 0) extra.push(eventForms.ExtenuatingCircumstances!);
  const withdraw = forms.findIndex((f) => f.type === 'Withdrawn');
  return withdraw < 0 ? [...forms, ...extra] : [...forms.slice(0, withdraw), ...extra, ...forms.slice(withdraw)];
}

/** The components a form offers, in words: only those it can act on (an appeal's open results, an undecided appeal, an assessment not yet taken). */
export function componentChoices(status: EpaStatus, form: EventForm, today: string): { value: string; text: string }[] {
  const names = componentNames(status);
  const ids =
    form.type === 'AppealLodged'
      ? appealsOpen(status, today).map((a) => a.component)
      : form.type === 'AppealDecided'
        ? appealsAwaiting(status).map((a) => a.component)
        : form.type === 'ExtenuatingCircumstances'
          ? extenuatingComponents(status)
          : Object.keys(status.components);
  return ids.map((id) => ({ value: id, text: upperFirst(componentPhrase(id, names)) }));
}

/** What a restart would start: the EPA from a new gateway submission, as the core works it out (pure). */
export function restartEffects(status: EpaStatus, gatewaySubmittedOn: string, now: number): Effects {
  const { plan, policy } = rules().resolve(status.rules.standard, status.rules.epao, status.rules.version);
  const ctx = { plan, policy };
  const after = view(startingState(ctx, gatewaySubmittedOn), ctx, now);
  return effectsInWords({ ...status, deadlines: [], notifications: [] }, { view: after, corrections: [] }, now);
}
