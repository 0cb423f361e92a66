/** The activities the EPA worker registers, built by a factory from the transport and settings. */
export { createDeliveryActivities, messageIdFor, messageKey, type DeliverySettings } from './delivery';
export { createListingActivities } from './listing';
export { createAssessmentActivities } from './assessment';
export type { MessageClaim, SentRecordStore } from './sent-record';
export { outboxTransport, smtpTransport, transportFromConfig } from './transport';
export type * from './types';
