/** The contract between the EPA workflow and the outside world: deliver one notification. */
import type { Role } from '../src/epa/deadlines';
import type { Notification } from '../src/epa/notifications';

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
  context: { standard: string; standardTitle: string; epaoName: string; epaoEmail: string; apprenticeName: string; employerName: string };
  /** Workflow time at which the workflow asked for delivery (epoch ms). */
  requestedAt: number;
}

export interface DeliveryResult {
  status: 'sent' | 'duplicate';
  messageId: string;
  to: string[];
}

export interface EpaActivities {
  deliverNotification(request: DeliveryRequest): Promise<DeliveryResult>;
}
