/**
 * The shapes of the task events' fields (CaseOwnerAssigned, TaskDone), zod-free for the workflow
 * sandbox (event-check.ts) and the schemas alike (events.ts).
 */

/** A staff account's username (src/app/users.ts `Username`). */
export const CASE_OWNER_USERNAME = /^[a-z0-9][a-z0-9._-]{1,39}$/;

/** A task's key (tasks.ts): a kind, then what it is about, in ASCII; at most 300 characters. */
export const TASK_KEY = /^[a-z][a-zA-Z]*:[A-Za-z0-9._:~+-]{1,290}$/;
