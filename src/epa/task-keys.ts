/**
 * The shapes of the task events' fields (CaseOwnerAssigned, TaskDone, MessageSentAgain), zod-free
 * for the workflow sandbox (event-check.ts) and the schemas alike (events.ts). Nothing the workflow
 * bundle reaches may import zod (tests/workflows/bundle.test.ts): its schemas cost every cached
 * workflow more than a megabyte of heap.
 */

/** A staff account's username (src/app/users.ts `Username`). */
export const CASE_OWNER_USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** A task's key (tasks.ts): a kind, then what it is about, in ASCII; at most 300 characters. */
export const TASK_KEY = /^[a-z][a-zA-Z]*:[A-Za-z0-9._:~+-]{1,290}$/;

/** The longest message key an event may name (MessageSentAgain, resend.ts). */
export const MESSAGE_KEY_MAX = 300;
