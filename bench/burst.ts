/**
 * Bursts (issue 27 part 5): the morning when many reminders fall due together. B assessment
 * reminders are made due in the same London minute, a few minutes ahead, and the bench measures the
 * seconds from that minute until the mail catcher has accepted the last of their messages, and
 * counts the messages it accepted more than once (by Message-ID).
 *
 * How the minute is made: an EPA decides by the policy pinned at its start, so B new EPAs are
 * started pinned to a copy of the rules in which one EPAO setting differs (Innovate's
 * `reminders.at`, the London time reminders go out, set to the burst minute). Each is passed
 * through the gateway and has its observation booked (the admin-event path, as `epa event` does)
 * for the date that puts its first reminder (the policy's largest `daysBefore`) on the burst
 * minute's day: nothing is due at booking but the invite, and the reminder falls due at the minute.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { parseDocument } from 'yaml';
import { addDays, londonDateOf, londonInstant, londonTimeOf, type LondonDate } from '../src/calendar';
import { EpaClient } from '../src/app/epa-client';
import { loadRules, RuleRegistry, rules, rulesDir } from '../src/plans';
import { workflowIdFor } from '../src/epa/ids';
import { benchPerson, cpuBetween, pct, pool } from './common';

/** The EPAO whose reminder time the burst's rules change (the bench EPAs' EPAO). */
const BURST_EPAO = 'innovate';
/** The component booked, and when on its day (inside the policy's booking hours, a time every day has). */
const BURST_COMPONENT = 'observation';
const ASSESSMENT_TIME = '10:00';

export interface BurstMinute {
  /** The minute's first instant (epoch ms): when the reminders fall due. */
  at: number;
  /** Its London date and wall-clock time (`HH:mm`), as the policy's `reminders.at` takes it. */
  date: LondonDate;
  time: string;
  /** The assessment's date: `daysBefore` days after the minute's date. */
  assessmentOn: LondonDate;
}

/**
 * The first whole minute at least `leadMs` after `now` that its London date and time name exactly.
 * The workflow computes the reminder's instant as `londonInstant(date, time)`, so a minute of the
 * autumn hour that happens twice is passed over when that gives the other occurrence. A time that
 * does not exist is never produced: every date and time here is read from an instant.
 */
export function burstMinute(now: number, leadMs: number, daysBefore: number): BurstMinute {
  for (let at = Math.ceil((now + leadMs) / 60_000) * 60_000; ; at += 60_000) {
    const date = londonDateOf(at);
    const time = londonTimeOf(at);
    if (londonInstant(date, time) === at) return { at, date, time, assessmentOn: addDays(date, daysBefore) };
  }
}

/** One message the catcher accepted: its headers' Message-ID and X-EPA-Key, and when the 250 went out. */
export interface CaughtMail {
  messageId: string;
  key: string;
  at: number;
}

/**
 * The burst's figures from what the catcher accepted: the seconds from the minute to the first and
 * the last message, the messages expected but not seen, those accepted before the minute (sent
 * early: none should be), and the duplicates (every acceptance of a Message-ID after its first).
 */
export function burstFigures(mails: CaughtMail[], dueAt: number, expected: number): Record<string, number> {
  const ids = new Set(mails.map((m) => m.messageId));
  const times = mails.map((m) => m.at);
  const seconds = (t: number) => Number(((t - dueAt) / 1000).toFixed(1));
  return {
    burstMessages: ids.size,
    burstMissing: Math.max(0, expected - ids.size),
    burstEarly: mails.filter((m) => m.at < dueAt).length,
    burstDuplicates: mails.length - ids.size,
    burstFirstSeconds: mails.length ? seconds(Math.min(...times)) : -1,
    burstSeconds: mails.length ? seconds(Math.max(...times)) : -1,
  };
}

/** A copy of the process's rules with the EPAO's reminder time set to `time`, loaded (and so checked) as a worker loads them. */
export function burstRules(dir: string, time: string): RuleRegistry {
  cpSync(rulesDir(), dir, { recursive: true });
  const file = path.join(dir, 'epaos', `${BURST_EPAO}.yaml`);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.setIn(['reminders', 'at'], time);
  writeFileSync(file, String(doc));
  const registry = new RuleRegistry(loadRules(dir));
  if (registry.policy(BURST_EPAO)?.data.reminders.at !== time) throw new Error(`the burst rules in ${dir} do not say ${time}`);
  return registry;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * Where one burst EPA's time went, from its history after the minute: the reminder's timer firing,
 * the workflow task that started the deliveries (queued, run), each delivery activity (queued for a
 * worker slot: scheduled → started; run: started → completed), and the workflow tasks after.
 */
export function burstTimeline(events: HistoryEvent[], dueAt: number): Record<string, number> | undefined {
  const at = (e: HistoryEvent) => (e.eventTime ? tsToMs(e.eventTime) : 0);
  const i = events.findIndex((e) => e.timerFiredEventAttributes && at(e) >= dueAt - 1000);
  if (i < 0) return undefined;
  const fired = at(events[i]!);
  const after = events.slice(i);
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  const queued: number[] = [];
  const run: number[] = [];
  const taskQueued: number[] = [];
  const taskRun: number[] = [];
  let taskScheduledAt = 0;
  let taskStartedAt = 0;
  let firstScheduled = 0;
  let lastCompleted = 0;
  let workflowTasks = 0;
  for (const e of after) {
    const id = String(e.eventId);
    if (e.workflowTaskScheduledEventAttributes) taskScheduledAt = at(e);
    if (e.workflowTaskStartedEventAttributes) {
      taskStartedAt = at(e);
      taskQueued.push(taskStartedAt - taskScheduledAt);
    }
    if (e.workflowTaskCompletedEventAttributes) {
      workflowTasks++;
      taskRun.push(at(e) - taskStartedAt);
    }
    const sa = e.activityTaskScheduledEventAttributes;
    if (sa && (sa.activityType?.name === 'deliverMessage' || sa.activityType?.name === 'deliverMessages')) {
      scheduled.set(id, at(e));
      if (!firstScheduled) firstScheduled = at(e);
    }
    const st = e.activityTaskStartedEventAttributes;
    if (st && scheduled.has(String(st.scheduledEventId))) {
      started.set(String(st.scheduledEventId), at(e));
      queued.push(at(e) - scheduled.get(String(st.scheduledEventId))!);
    }
    const done = e.activityTaskCompletedEventAttributes;
    if (done && started.has(String(done.scheduledEventId))) {
      run.push(at(e) - started.get(String(done.scheduledEventId))!);
      lastCompleted = at(e);
    }
  }
  if (!firstScheduled || run.length === 0) return undefined;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    timerLateMs: fired - dueAt,
    firstTaskQueuedMs: taskQueued[0] ?? 0,
    firstTaskRunMs: taskRun[0] ?? 0,
    toScheduledMs: firstScheduled - fired,
    deliveryQueuedMs: sum(queued) / queued.length,
    deliveryRunMs: sum(run) / run.length,
    toLastCompletedMs: lastCompleted - dueAt,
    workflowTasks,
  };
}

/** The burst's EPAs' timelines summed up: the median and 90th percentile of each part, over `sample` EPAs. */
export async function burstBreakdown(client: Client, ids: string[], dueAt: number, sample = 60): Promise<Record<string, number>> {
  const step = Math.max(1, Math.floor(ids.length / sample));
  const picked = ids.filter((_, k) => k % step === 0).slice(0, sample);
  const timelines: Record<string, number>[] = [];
  let shape = '';
  for (const id of picked) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const t = burstTimeline(events, dueAt);
    if (t) timelines.push(t);
    // One EPA's history after the minute, event by event: what the reminder cost the server.
    if (t && !shape) {
      const at = (e: HistoryEvent) => (e.eventTime ? tsToMs(e.eventTime) : 0);
      const from = events.findIndex((e) => e.timerFiredEventAttributes && at(e) >= dueAt - 1000);
      shape = events
        .slice(from)
        .map((e) => String(temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, ''))
        .join(' ');
    }
  }
  if (shape) console.log(`[bench] burst: one EPA's history after the minute: ${shape}`);
  const out: Record<string, number> = { burstBreakdownSampled: timelines.length };
  for (const part of Object.keys(timelines[0] ?? {})) {
    const xs = timelines.map((t) => t[part]!);
    out[`burst_${part}_p50`] = Number(pct(xs, 0.5).toFixed(0));
    out[`burst_${part}_p90`] = Number(pct(xs, 0.9).toFixed(0));
  }
  return out;
}

export interface BurstOptions {
  client: Client;
  taskQueue: string;
  /** How many reminders (one EPA each, two messages: apprentice and employer). */
  count: number;
  /** The first bench index of the burst's EPAs (after every other EPA the bench starts). */
  firstIndex: number;
  /** From now to the burst minute: long enough to start and book every one first. */
  leadMs: number;
  concurrency: number;
  /** Where the burst's rules are written. */
  dir: string;
  /** What the catcher has accepted so far. */
  caught: () => CaughtMail[];
  /** CPU seconds used so far, by part (common.ts cpuSeconds): where the burst's time went. */
  cpu?: () => Record<string, number>;
  log: (line: string) => void;
}

/** Makes the burst and waits for its messages (at most 15 minutes after the minute); its figures. */
export async function runBurst(o: BurstOptions): Promise<Record<string, number | string>> {
  const t0 = Date.now();
  const daysBefore = Math.max(...rules().policy(BURST_EPAO)!.data.reminders.daysBefore);
  const minute = burstMinute(t0, o.leadMs, daysBefore);
  const registry = burstRules(path.join(o.dir, 'burst-rules'), minute.time);
  const epa = new EpaClient(o.client, o.taskQueue, { rules: registry });
  const assessmentAt = `${minute.assessmentOn}T${ASSESSMENT_TIME}`;
  o.log(`burst: ${o.count} reminders due at ${minute.date} ${minute.time} London (${daysBefore} days before ${assessmentAt})`);
  const ids = new Set<string>();
  let late = 0;
  await pool(o.count, o.concurrency, async (k) => {
    const person = benchPerson(o.firstIndex + k, false);
    await epa.start(person);
    const today = londonDateOf(Date.now());
    await epa.recordEvent(person.uln, 'GatewayPassed', { on: today, override: { reason: 'benchmark' } });
    // A booking this close to the minute could miss it (its first task not run by then): left out, counted.
    if (Date.now() > minute.at - 5_000) {
      late++;
      return;
    }
    await epa.recordEvent(person.uln, 'AssessmentBooked', {
      on: today,
      component: BURST_COMPONENT,
      at: assessmentAt,
      override: { reason: 'benchmark' },
    });
    ids.add(workflowIdFor(person.uln));
  });
  const bookedSeconds = (Date.now() - t0) / 1000;
  o.log(`burst: ${ids.size} booked in ${bookedSeconds.toFixed(0)} s (${late} too late); waiting for ${minute.time}`);
  // The reminders' messages: key `epa-<ULN>/assessmentReminder:<uid>:<at>:<days>d/<role>`.
  const reminderOf = (m: CaughtMail) => {
    const [epaId = '', key = ''] = m.key.split('/');
    return key.startsWith('assessmentReminder:') && key.endsWith(`:${assessmentAt}:${daysBefore}d`) && ids.has(epaId);
  };
  const expected = 2 * ids.size;
  const deadline = minute.at + 15 * 60_000;
  let cpuAtMinute: Record<string, number> | undefined;
  for (;;) {
    if (!cpuAtMinute && Date.now() >= minute.at) cpuAtMinute = o.cpu?.();
    const seen = new Set(
      o
        .caught()
        .filter(reminderOf)
        .map((m) => m.messageId),
    ).size;
    if (seen >= expected || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const cpuAtEnd = o.cpu?.();
  const cpu = cpuAtMinute && cpuAtEnd ? cpuBetween(cpuAtMinute, cpuAtEnd) : undefined;
  // A few seconds more for any message sent twice (a retry after a 250 whose record was lost).
  await new Promise((r) => setTimeout(r, 5_000));
  const figures = burstFigures(o.caught().filter(reminderOf), minute.at, expected);
  // The bookings' own messages (the invites) still arriving after the minute: a backlog the
  // reminders queued behind, so the burst was not measured alone (a longer --burst-lead fixes it).
  const backlog = o.caught().filter((m) => ids.has(m.key.split('/')[0] ?? '') && !reminderOf(m) && m.at >= minute.at).length;
  if (backlog > 0) o.log(`burst: ${backlog} booking messages were still being sent after ${minute.time}`);
  o.log(`burst: ${figures.burstMessages} of ${expected} messages, the last ${figures.burstSeconds} s after ${minute.time}`);
  const breakdown = await burstBreakdown(o.client, [...ids], minute.at);
  o.log(`burst: where the time went (ms, p50/p90 over ${breakdown.burstBreakdownSampled} EPAs): ${JSON.stringify(breakdown)}`);
  if (cpu) o.log(`burst: CPU seconds from the minute to the last message, by part: ${JSON.stringify(cpu)}`);
  return {
    ...breakdown,
    ...(cpu && Object.fromEntries(Object.entries(cpu).map(([part, s]) => [`burstCpuSeconds_${part}`, s]))),
    burstReminders: ids.size,
    burstMinute: `${minute.date}T${minute.time} Europe/London`,
    burstLate: late,
    burstBookSeconds: Number(bookedSeconds.toFixed(1)),
    burstLeadSeconds: Math.round((minute.at - t0) / 1000),
    burstBookingBacklog: backlog,
    ...figures,
  };
}
