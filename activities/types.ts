/** The contract between the EPA workflow and the outside world: deliver one notification. */
import type { RowTask } from '../src/epa/tasks';
import type { Role } from '../src/epa/deadlines';
import type { Notification } from '../src/epa/notifications';
import type { ServiceClaim } from '../src/epa/certificate-claims';

export interface Recipient {
  role: Role;
  name: string;
  email: string;
}

export interface DeliveryRequest {
  /** The workflow id, `epa-<ULN>`; with `notification.key` it makes the exactly-once key. */
  epaId: string;
  notification: Notification;
  recipients: Recipient[];
  /** Who sends (the EPAO) and what about, for templates. */
  context: {
    standard: string;
    standardTitle: string;
    epaoName: string;
    epaoEmail: string;
    apprenticeName: string;
    employerName: string;
  };
  /** Workflow time at which the workflow asked for delivery (epoch ms). */
  requestedAt: number;
}

/** One message: one notification to one recipient (`recipients` are everyone it concerns, for invite attendees). */
export interface MessageRequest extends DeliveryRequest {
  recipient: Recipient;
}

export interface MessageResult {
  /** `duplicate`: an earlier attempt had already sent it; `expired`: its moment passed before it could go. */
  status: 'sent' | 'duplicate' | 'expired';
  messageId: string;
}

/**
 * What `deliverMessages` did for each recipient of one notification, in the request's order:
 * sent (or found sent, or expired) with its Message-ID; `failed` for good (the server refused it,
 * or the message cannot be built); `again` when it could not go now (the mail server or the sent
 * record away, another attempt sending it): the workflow hands it to `deliverMessage`, which retries.
 */
export type RecipientOutcome =
  | { role: Role; status: 'sent' | 'duplicate' | 'expired'; messageId: string }
  | { role: Role; status: 'failed'; error: string }
  | { role: Role; status: 'again'; error: string };

export interface MessagesResult {
  results: RecipientOutcome[];
}

/** A claim the EPA's state says is due, for the assessment service (activities/assessment.ts). */
export interface ClaimRequest {
  epaId: string;
  uln: string;
  claim: ServiceClaim;
}
export interface ClaimResult {
  outcome: 'claimed' | 'recorded' | 'refused';
  reference?: string;
  /** The certificate's status once claimed (Submitted, or further on if it already was). */
  status?: string;
  messages?: string[];
}
export interface CertificateStatusRequest {
  uln: string;
  familyName: string;
  standard: string;
}
export interface CertificateStatusResult {
  /** `none`: the service shows no certificate (deleted, or not visible to this EPAO). */
  status: string;
  reference?: string;
  /** When delivered (or delivery failed), as the service says (UK local date-time). */
  deliveryDate?: string;
}

export interface EpaActivities {
  /** One message to one recipient, exactly once. */
  deliverMessage(request: MessageRequest): Promise<MessageResult>;
  /**
   * One notification to each of its recipients in turn, each message exactly once, in one
   * activity (one task for the server, not one per recipient); what it cannot send now it hands back.
   */
  deliverMessages(request: DeliveryRequest): Promise<MessagesResult>;
  /**
   * Writes the EPA's row to the listing index (a local activity): `indexed`,
   * `stale` when a later version is already there, `none` when this worker has no index (no
   * database configured: lists then read Temporal's visibility).
   */
  indexEpa(change: EpaIndexChange): Promise<'indexed' | 'stale' | 'none'>;
  /** Makes the claim the EPA's state says is due with the assessment service (activities/assessment.ts). */
  claimWithAssessmentService(request: ClaimRequest): Promise<ClaimResult>;
  /** A claimed certificate's status at the assessment service. */
  certificateStatus(request: CertificateStatusRequest): Promise<CertificateStatusResult>;
}

/**
 * One EPA as the listing index keeps it (patch 'listing-index'; src/store/pg-listing-index.ts): what
 * the finder, the board and the CSV show, filter, sort and page by, without asking each EPA. Names
 * of the apprentice and organisations only; no contact details. The workflow builds it (listingRow,
 * workflows/definitions.ts) and hands it to `indexEpa`.
 */
export interface EpaIndexRow {
  epaId: string;
  uln: string;
  apprentice: string;
  standard: string;
  epao: string;
  employer: string;
  provider: string;
  stage: string;
  /** False once the EPA has completed or been withdrawn (its workflow then ends). */
  running: boolean;
  overdue: boolean;
  /** When the most urgent missed deadline expired (ISO instant), and who must act on it; null when none is missed. */
  overdueSince: string | null;
  mustAct: Role | null;
  /** The next open deadline: its key, London date and the instant it expires. */
  nextDeadline: { key: string; due: string; dueAt: string } | null;
  /** Each missed deadline, with who must act on it (`owner`: rows written before issue 29 have none; read it from the key, listings.ts missedOwner). */
  missed: { key: string; due: string; component?: string; owner?: Role }[];
  /** Assessments booked and not yet taken, soonest first (London date-times). */
  bookings: { component: string; at: string }[];
  /** The planning meeting booked and not yet held (London date-time); absent in rows written before issue 29. */
  planningMeeting?: { at: string };
  /** When the EPA's first run started (ISO instant). */
  startedAt: string;
  /**
   * The staff member who owns the EPA's tasks (null: no owner yet), and its open tasks, oldest due
   * first (src/epa/tasks.ts). Absent in rows written before tasks (patch 'epa-tasks').
   */
  caseOwner?: { username: string; name: string } | null;
  tasks?: RowTask[];
}

/** A row for the index, and its version: a later version replaces an earlier one, never the reverse. */
export interface EpaIndexChange {
  row: EpaIndexRow;
  version: number;
}

/** Where the listing index activity writes (src/store/pg-listing-index.ts). */
export interface ListingIndexWriter {
  put(change: EpaIndexChange): Promise<boolean>;
}
