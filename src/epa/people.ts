/** Who an EPA involves, and what starting one takes (validated at the client, before Temporal). */
import { z } from 'zod';
import { LondonDateSchema } from './events';
import { nameProblem } from './names';
import { ulnProblem } from './uln';
import type { PinnedRules } from '../plans/schema';

/** The apprentice's Unique Learner Number: 10 digits, not starting with 0, with a valid check digit (uln.ts). */
export const Uln = z.string().superRefine((value, ctx) => {
  const problem = ulnProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A name as people and organisations are given one: 1–200 characters, none that hide or reorder text (names.ts). */
export const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const Person = z.object({ name: Name, email: z.email() }).strict();
export const Organisation = z.object({ organisation: Name, name: Name, email: z.email() }).strict();

export const EpaStartSchema = z
  .object({
    uln: Uln,
    apprentice: Person,
    employer: Organisation,
    provider: Organisation,
    /** The EPAO's admin mailbox for alerts and escalations. */
    epaoAdmin: Person,
    standard: z.string(),
    /** The assessment plan version (default: the newest the EPAO assesses); pinned for the EPA's life. */
    standardVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'a version such as "1.1"')
      .optional(),
    epao: z.string(),
    /** The gateway submission date that starts the workflow (London). */
    gatewaySubmittedOn: LondonDateSchema,
    /**
     * The EPA's recorded history so far, oldest first, after the gateway submission: for an EPA
     * already part-way through when it is entered. Each is an event as `POST …/events` takes it.
     */
    events: z.array(z.unknown()).max(1000, 'at most 1,000 events: start with the latest 1,000').optional(),
  })
  .strict();
export type EpaStart = z.infer<typeof EpaStartSchema>;
export type People = Pick<EpaStart, 'apprentice' | 'employer' | 'provider' | 'epaoAdmin'>;

export { workflowIdFor } from './ids';

/** Set when an EPA is started again after an earlier run finished: an explicit act with a reason. */
export interface RestartNote {
  previousRunId: string;
  previousStatus: string;
  reason: string;
  /** London date of the restart. */
  on: string;
}

/** What the workflow is started with: the validated start, and the restart note when it is a re-start. */
export type EpaWorkflowInput = EpaStart & {
  /** The plan and policy this EPA decides by, resolved and hashed when it started (pinned for its life). */
  rules: PinnedRules;
  restartOf?: RestartNote;
  /** Who started the EPA (an API token's name, a CLI user): its first timeline entries say so. */
  startedBy?: string;
  /** Started by an import: its late-entry summary goes into the import's one summary (workflows/import-summary.ts). */
  importId?: string;
  /**
   * The start set the search attributes and memo from the same view (EpaClient): the run's first
   * publish writes only what differs from them, not all of them again (issue 27: start cost).
   */
  startPublished?: true;
};
