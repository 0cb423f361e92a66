/** Walks one EPA through time on the time-skipping server: each event is sent on its own London date. */
import type { EpaStart } from '../../src/epa/people';
import { EpaOverdue, EpaStage } from '../../src/temporal/search-attributes';
import type { EpaStatus, EpaSummary } from '../../workflows/definitions';
import { advanceTo, eventually, type Harness } from './lifecycle';
import { epaStart } from './people';

export interface Walk {
  uln: string;
  /** Advance to `date` (midday London) and record the event dated that day. */
  at(date: string, type: string, payload?: Record<string, unknown>): Promise<EpaSummary>;
  /** Advance to `date` and `time` London and read the status once the workflow has caught up. */
  statusOn(date: string, time?: string): Promise<EpaStatus>;
  searchAttributes(): Promise<{ stage: string | undefined; overdue: boolean | undefined }>;
}

export async function startWalk(h: Harness, overrides: Partial<EpaStart>): Promise<Walk> {
  const input = epaStart(overrides);
  await advanceTo(h.env, input.gatewaySubmittedOn, '09:00');
  await h.epa.start(input);
  const uln = input.uln;
  return {
    uln,
    async at(date, type, payload = {}) {
      await advanceTo(h.env, date);
      return await h.epa.recordEvent(uln, type, { on: date, ...payload });
    },
    async statusOn(date, time = '12:00') {
      await advanceTo(h.env, date, time);
      return await h.epa.status(uln);
    },
    async searchAttributes() {
      const d = await h.epa.handle(uln).describe();
      return { stage: d.typedSearchAttributes.get(EpaStage), overdue: d.typedSearchAttributes.get(EpaOverdue) };
    },
  };
}

export { eventually };
