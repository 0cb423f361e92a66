/**
 * A delivery activity that records what the workflow asked to send, instead of emailing it. It is a
 * real activity run by a real worker; only the outside world (SMTP) is left out, for lifecycle tests.
 */
import type { DeliveryRequest, DeliveryResult, EpaActivities } from '../../activities/types';

export function recordingActivities(): { activities: EpaActivities; deliveries: DeliveryRequest[] } {
  const deliveries: DeliveryRequest[] = [];
  return {
    deliveries,
    activities: {
      async deliverNotification(request: DeliveryRequest): Promise<DeliveryResult> {
        deliveries.push(request);
        return { status: 'sent', messageId: `<${request.epaId}.${request.notification.key}@test>`, to: request.recipients.map((r) => r.email) };
      },
    },
  };
}
