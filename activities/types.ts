/** The contract between the EPA workflow and the outside world: deliver one notification. */
import type { Role } from '../src/epa/deadlines';
import type { Notification } from '../src/epa/notifications';
import type { EpaIndexChange } from '../workflows/definitions';
import type { CertificateStatusRequest, CertificateStatusResult, ClaimRequest, ClaimResult } from './assessment';

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

export interface EpaActivities {
  /** One message to one recipient, exactly once. */
  deliverMessage(request: MessageRequest): Promise<MessageResult>;
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

/** Where the listing index activity writes (src/store/pg-listing-index.ts). */
export interface ListingIndexWriter {
  put(change: EpaIndexChange): Promise<boolean>;
}
