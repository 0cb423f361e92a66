/** `epa plan`: a whole case (standard, EPAO, events) → the derived view, with the same code the workflow runs. */
import { z } from 'zod';
import { fromZodError } from './errors';
import { ruleContext } from '../plans/registry';
import { asOfInstant, newEpa, recordEvent, view, type EpaView } from './evaluate';

export const CaseSchema = z
  .object({
    standard: z.string(),
    epao: z.string(),
    /** The plan version (default: the newest the EPAO assesses). */
    standardVersion: z.string().optional(),
    events: z.array(z.unknown()),
    /** Evaluate as of this London date (during that day) or ISO instant; default: now. */
    asOf: z.string().optional(),
  })
  .strict();

/** The whole `epa plan` evaluation. `now` is used when the case has no `asOf`. */
export function planCase(input: unknown, now: number): EpaView {
  const parsed = CaseSchema.safeParse(input);
  if (!parsed.success) throw fromZodError(parsed.error);
  const { standard, epao, standardVersion, events, asOf } = parsed.data;
  const ctx = ruleContext(standard, epao, standardVersion);
  const at = asOfInstant(asOf, now);
  const state = newEpa(ctx); // a private copy: fold in place
  // EventVoided: the events it names are left out, as a live EPA works its state out again without them.
  // Each names its target in `voids` (or, written before 1.1, in its eventId).
  const isVoid = (raw: unknown): raw is { type: 'EventVoided'; eventId?: string; voids?: string } =>
    (raw as { type?: unknown } | null)?.type === 'EventVoided';
  const target = (v: { voids?: unknown; eventId?: unknown }): unknown => v.voids ?? v.eventId;
  const voided = new Set(
    events
      .filter(isVoid)
      .map(target)
      .filter((id): id is string => typeof id === 'string'),
  );
  events.forEach((raw, i) => {
    if (isVoid(raw)) return;
    const id = (raw as { eventId?: unknown } | null)?.eventId;
    if (typeof id === 'string' && voided.has(id)) return;
    recordEvent(state, raw, ctx, `events[${i}]`, true);
  });
  return view(state, ctx, at);
}
