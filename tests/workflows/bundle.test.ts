/**
 * What the EPA workflow bundle carries. Every cached workflow gets its own copy of the sandbox's
 * module state, so a library pulled in by one value import costs every EPA in a worker's cache:
 * zod's schemas (reached once through `event-check.ts` importing a constant from `events.ts`) took
 * a worker from 0.25 to 1.9 MB of heap per cached workflow (docs/scale.md). The workflow side checks
 * events without zod (event-check.ts); only the SDK, its own dependencies and date-fns belong here.
 */
import { readFileSync } from 'node:fs';
import { epaWorkflowBundle } from '../support/workflow-bundle';

/** The packages the SDK's workflow runtime brings with it, and date-fns for London time (src/calendar/london.ts). */
const ALLOWED = ['@temporalio', 'long', 'ms', 'nexus-rpc', 'date-fns', '@date-fns'];

test('the workflow bundle holds no package beyond the SDK runtime and London time (no zod, no yaml)', async () => {
  const bundle = await epaWorkflowBundle();
  const code = 'code' in bundle ? bundle.code : readFileSync(bundle.codePath, 'utf8');
  const packages = new Set([...code.matchAll(/node_modules\/(@[\w.-]+|[\w.-]+)/g)].map((m) => m[1]!)); // a scope counts as one
  expect(packages.size).toBeGreaterThan(0); // the module paths are there to read
  expect([...packages].filter((p) => !ALLOWED.includes(p)).sort()).toEqual([]);
  expect(code).toMatch(/src\/epa\/event-check\.[jt]s/);
  expect(code).not.toMatch(/src\/epa\/events\.[jt]s/);
});
