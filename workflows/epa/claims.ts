/**
 * Certificate claims through the assessment service (an EPAO setting): when the rules say a claim
 * is due, it is made beside the loop; a claimed certificate's status is then polled until it is
 * delivered. Every answer is recorded as an event of the EPA, by 'assessment service'.
 */
import { log as workflowLog } from '@temporalio/workflow';
import { londonDateOf } from '../../src/calendar/london';
import { claimsThroughService, familyNameOf, serviceClaim, type ServiceClaim } from '../../src/epa/certificate-claims';
import { recordEvent } from '../../src/epa/evaluate';
import { keepEvent } from './events';
import { failureMessage } from './failures';
import { current, type RunState } from './run-state';

/** At `now`: the claim the state says is due (unless one is under way), and a status poll when one is due. */
export function advanceClaims(run: RunState, now: number): void {
  const { ctx, claiming, polling } = run;
  if (!claimsThroughService(ctx.policy)) return;
  const { claim } = serviceClaim(run.state, ctx.plan, ctx.policy, run.people.apprentice.name);
  if (claim && !claiming.inFlight && claim.key !== claiming.key) startClaim(run, claim);
  if (certificateTracked(run)) {
    polling.nextAt ??= now + polling.every;
    if (now >= polling.nextAt && !polling.inFlight) startPoll(run);
  }
}

/** A claimed certificate still on its way: its status is polled until delivered. */
export function certificateTracked(run: RunState): boolean {
  const { state } = run;
  const c = state.certificate;
  return claimsThroughService(run.ctx.policy) && !!c.claimedOn && !!c.reference && !c.receivedOn && !state.withdrawn;
}

/** When the loop must wake for the next poll (none while one is under way). */
export function nextPollAt(run: RunState): number | undefined {
  return certificateTracked(run) && !run.polling.inFlight ? run.polling.nextAt : undefined;
}

/**
 * Records what the assessment service answered as an event of the EPA (by 'assessment service'):
 * the rules apply it like any other, the timeline shows it, a void or a restart keeps it. One the
 * EPA can no longer take (staff recorded the claim meanwhile) is left out.
 */
function recordServiceEvent(run: RunState, event: Record<string, unknown> & { type: string }, changed: string[]): void {
  const before = current(run);
  let applied;
  try {
    applied = recordEvent(run.state, { on: londonDateOf(Date.now()), by: 'assessment service', ...event }, run.ctx);
  } catch (err) {
    workflowLog.warn('an answer of the assessment service the EPA cannot take', {
      type: event.type,
      error: failureMessage(err),
    });
    return;
  }
  keepEvent(run, applied, before, changed);
}

function startClaim(run: RunState, claim: ServiceClaim): void {
  const { claiming, polling } = run;
  claiming.key = claim.key;
  claiming.inFlight = true;
  run.inFlight++;
  void run.activities
    .claimWithAssessmentService({ epaId: run.epaId, uln: run.input.uln, claim })
    .then(
      (result) => {
        if (result.outcome === 'claimed') {
          recordServiceEvent(run, { type: 'CertificateClaimed', reference: result.reference }, [
            `certificate ${result.reference} submitted to the assessment service`,
          ]);
          polling.every = polling.first;
          polling.nextAt = Date.now() + polling.first;
          if (result.status && result.status !== 'Submitted') notePrintStatus(run, result.status, result.reference!);
        } else if (result.outcome === 'recorded') {
          recordServiceEvent(
            run,
            {
              type: 'EpaOutcomeRecorded',
              outcome: 'Fail',
              reference: result.reference,
              failedOn: (claim as { failedOn: string }).failedOn,
            },
            [`the failed EPA recorded with the assessment service (${result.reference})`],
          );
        } else {
          recordServiceEvent(run, { type: 'CertificateClaimRefused', messages: (result.messages ?? []).slice(0, 20) }, [
            'the assessment service refused the claim',
          ]);
        }
      },
      (err: unknown) =>
        recordServiceEvent(run, { type: 'CertificateClaimRefused', messages: [failureMessage(err).slice(0, 2000)] }, [
          'the claim could not be made',
        ]),
    )
    .finally(() => {
      claiming.inFlight = false;
      run.inFlight--;
    });
}

function startPoll(run: RunState): void {
  const { state, polling } = run;
  const c = state.certificate;
  polling.inFlight = true;
  run.inFlight++;
  void run.activities
    .certificateStatus({
      uln: run.input.uln,
      familyName: familyNameOf(state, run.people.apprentice.name),
      standard: run.ctx.plan.standard,
    })
    .then(
      (result) => {
        const changed = notePrintStatus(run, result.status, result.reference ?? c.reference!, result.deliveryDate);
        polling.every = changed ? polling.first : Math.min(polling.longest, polling.every * 2);
      },
      () => undefined, // the service away: the next poll asks again
    )
    .finally(() => {
      polling.nextAt = Date.now() + polling.every;
      polling.inFlight = false;
      run.inFlight--;
      run.changes++;
    });
}

/**
 * A status the service reports, recorded when it is new; Delivered also records the certificate
 * received, dated the day the service says it was delivered (not before the EPA's last event).
 */
function notePrintStatus(run: RunState, status: string, reference: string, deliveryDate?: string): boolean {
  const known = run.state.certificate.statuses ?? [];
  const last = known[known.length - 1]?.status ?? 'Submitted';
  if (status === last || status === 'none' || status === 'Draft' || status === 'Ready') return false;
  const today = londonDateOf(Date.now());
  const reported = status === 'Delivered' || status === 'NotDelivered' ? deliveryDate?.slice(0, 10) : undefined;
  // The service's date where it gives one, kept between the EPA's last event and today.
  const latest = (a: string, b: string): string => (a > b ? a : b);
  const on = reported ? [latest(reported, run.state.lastEventOn ?? reported), today].sort()[0]! : today;
  recordServiceEvent(run, { type: 'CertificateStatusChanged', reference, status, on }, [
    `certificate ${status} at the assessment service`,
  ]);
  if (status === 'Delivered') recordServiceEvent(run, { type: 'CertificateReceived', on }, ['certificate delivered']);
  return true;
}
