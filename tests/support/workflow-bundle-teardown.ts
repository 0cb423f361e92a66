/** jest globalTeardown of the server-bound projects: removes the run's workflow bundle (see workflow-bundle-setup.ts). */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_ENV } from './workflow-bundle';

export default async function workflowBundleTeardown(): Promise<void> {
  // Only the file this run's setup wrote (never one named from outside).
  const g = globalThis as { epaWorkflowBundleFile?: string };
  const file = g.epaWorkflowBundleFile;
  if (!file) return;
  g.epaWorkflowBundleFile = undefined;
  if (process.env[BUNDLE_ENV] === file) delete process.env[BUNDLE_ENV];
  rmSync(path.dirname(file), { recursive: true, force: true });
}
