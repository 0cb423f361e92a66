/**
 * Sending a failed message again (issue 29 part 4), for the staff pages: whether a message's page
 * offers it, the check-your-answers page (what will be sent to whom, at the address the recipient
 * has now), and the event MessageSentAgain recorded through the EPA's workflow, which sends it once
 * under a new message key. The rules are the core's (src/epa/resend.ts), judged again by the
 * workflow (its preview and its Update); every name from src/epa/display-names.ts.
 *
 * Bounces: epa-flow hears only the mail server's answer while it sends (a 5xx refusal fails the
 * message). A message the server accepted and that bounced later (a bounce report to the sender's
 * mailbox) shows as delivered: no bounce reports are received today, so none is offered here.
 */
import type { SentCopies } from '../../activities/sent-record';
import type { EpaStatus } from '../../workflows/definitions';
import { instantInWords, messageName, ownerPhrase, upperFirst } from '../epa/display-names';
import { EpaInputError, EpaTransitionError } from '../epa/errors';
import { recipientsFor } from '../epa/recipients';
import { resendRefusal } from '../epa/resend';
import { EpaNotFoundError, EpaRejectedError } from './epa-client';
import type { EpaService } from './epa-service';

/** What a message's page says about sending it again: offered, or why not. */
export interface ResendOffer {
  offered: boolean;
  /** Why it is not offered, in words ('' when offered). */
  why: string;
}

const FINISHED =
  'This EPA has finished, so nothing more is sent from it: its workflow has ended. To write to the recipient now, use your own email.';
const WITHDRAWN =
  'The apprentice has been withdrawn from this EPA, so nothing more is sent from it. Restart the EPA to send its messages again.';
const BOUNCES =
  'A delivered message is not sent again. epa-flow does not receive bounce reports: if a delivered message bounced later, correct the contact details and write to them yourself.';

/** Whether a message of this EPA (its key and recipient role) may be sent again, in words. */
export function resendOffer(status: Pick<EpaStatus, 'log' | 'completed' | 'stage'>, key: string, role: string): ResendOffer {
  const entry = [...status.log].reverse().find((l) => l.key === key && (l.role ?? '') === role);
  if (entry?.status === 'sent') return { offered: false, why: BOUNCES };
  if (entry?.status !== 'failed') return { offered: false, why: '' };
  if (status.completed) return { offered: false, why: status.stage === 'Withdrawn' ? WITHDRAWN : FINISHED };
  const refused = resendRefusal(status.log, key, role);
  return refused ? { offered: false, why: `${refused}.` } : { offered: true, why: '' };
}

/** The check-your-answers page of a message sent again. */
export interface ResendCheck {
  uln: string;
  apprentice: string;
  key: string;
  role: string;
  subject: string;
  /** The recipient as the message will go now: role in words, name and address. */
  to: { role: string; name: string; email: string };
  /** When it failed, the address it failed at, and the mail server's answer. */
  failed: { when: string; email: string; error: string };
  /** Whether the recipient's address is no longer the one it failed at (corrected since). */
  addressChanged: boolean;
  /** What the flash says once it is recorded. */
  done: string;
}

/**
 * The check-your-answers page for sending a message again, or the refusal in words: no such
 * message in this EPA (a key of another EPA, or a changed form: not found), delivered, not failed,
 * the EPA finished or withdrawn, or what the workflow's rules refuse (being sent again already, a
 * booking changed since).
 */
export async function resendCheck(
  epa: Pick<EpaService, 'status' | 'preview'>,
  copies: SentCopies,
  uln: string,
  key: string,
  role: string,
  today: string,
): Promise<ResendCheck> {
  const status = await epa.status(uln);
  const entry = [...status.log].reverse().find((l) => l.key === key && (l.role ?? '') === role);
  if (!entry || !key)
    throw new EpaNotFoundError('This EPA has no such message: go back to the EPA and choose one from its messages.');
  const offer = resendOffer(status, key, role);
  if (!offer.offered) throw new EpaTransitionError(offer.why || 'Only a message that failed can be sent again.');
  const answer = await epa.preview(uln, 'MessageSentAgain', { on: today, message: key, role });
  if ('refused' in answer) throw new EpaTransitionError(`${upperFirst(answer.refused)}.`);
  const copy = await copies.read(status.epaId, key, role);
  const again = answer.corrections[0];
  const now = again ? recipientsFor(again, status.people).find((r) => r.role === role) : undefined;
  const failedAt = copy?.to.email ?? entry.to?.[0] ?? '';
  const to = { role: upperFirst(ownerPhrase(role)), name: now?.name ?? copy?.to.name ?? '', email: now?.email ?? failedAt };
  const subject = copy?.subject ?? messageName(entry.kind);
  return {
    uln: status.uln,
    apprentice: status.people.apprentice.name,
    key,
    role,
    subject,
    to,
    failed: { when: instantInWords(entry.at), email: failedAt, error: entry.error ?? '' },
    addressChanged: failedAt !== '' && to.email.toLowerCase() !== failedAt.toLowerCase(),
    done: doneWords(subject, role),
  };
}

/** A reason given for sending again: optional, else 3 to 2,000 characters; what is wrong in words. */
export function resendReasonProblem(reason: string): string | undefined {
  if (reason === '') return undefined;
  if (reason.length < 3) return 'Give a reason of at least 3 characters, or leave it empty';
  return reason.length > 2000 ? 'Give a reason of at most 2,000 characters' : undefined;
}

const FORM_KEY = /^[0-9a-f-]{36}$/;

/** What the form posts: the message (its key and role), an optional reason, the form's key. */
export interface ResendForm {
  key: string;
  role: string;
  reason: string;
  formKey: string | undefined;
}

/**
 * Records MessageSentAgain from the check-your-answers page, dated today, by the signed-in person,
 * under the form's key: the form sent twice (a double click, a reload) is one event, the message
 * goes once, and the second answer is the first's. Refusals of the message in words (thrown, as
 * resendCheck's); a problem with the form itself (the reason, a key changed by hand) returned.
 */
export async function sendAgain(
  epa: Pick<EpaService, 'status' | 'preview' | 'recordEvent'>,
  copies: SentCopies,
  uln: string,
  form: ResendForm,
  by: string,
  today: string,
): Promise<{ recorded: string } | { problem: string; code: 400 | 409; field: 'reason' | 'formKey' }> {
  const formKey = form.formKey && FORM_KEY.test(form.formKey) ? form.formKey : undefined;
  const status = await epa.status(uln);
  if (formKey && status.timeline.some((t) => t.type === 'MessageSentAgain' && t.eventId === formKey)) {
    const copy = await copies.read(status.epaId, form.key, form.role);
    const kind = status.log.find((l) => l.key === form.key)?.kind ?? '';
    return { recorded: doneWords(copy?.subject ?? messageName(kind), form.role) };
  }
  const check = await resendCheck(epa, copies, uln, form.key, form.role, today);
  if (!formKey)
    return { problem: 'The form was changed or has expired: check the answers and send it again', code: 400, field: 'formKey' };
  const problem = resendReasonProblem(form.reason);
  if (problem) return { problem, code: 400, field: 'reason' };
  try {
    await epa.recordEvent(
      uln,
      'MessageSentAgain',
      { on: today, message: form.key, role: form.role, by, ...(form.reason !== '' && { reason: form.reason }) },
      { idempotencyKey: formKey },
    );
  } catch (err) {
    if (err instanceof EpaRejectedError || err instanceof EpaInputError)
      return { problem: `The message could not be sent again: ${err.message}`, code: 409, field: 'reason' };
    throw err;
  }
  return { recorded: check.done };
}

function doneWords(subject: string, role: string): string {
  return `Message sent again: “${subject}” to ${ownerPhrase(role)}`;
}
