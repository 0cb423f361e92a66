/** jest globalSetup of the server-bound projects: the EPA workflow bundle, built once for the whole run (see workflow-bundle.ts). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_ENV, bundleEpaWorkflows } from './workflow-bundle';

export default async function workflowBundleSetup(): Promise<void> {
  // Each server-bound project runs this; the first one builds it.
  if (process.env[BUNDLE_ENV]) return;
  const started = Date.now();
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'epa-workflow-bundle-')), 'workflows.js');
  writeFileSync(file, await bundleEpaWorkflows());
  process.env[BUNDLE_ENV] = file;
  (globalThis as { epaWorkflowBundleFile?: string }).epaWorkflowBundleFile = file;
  process.stdout.write(`\nEPA workflow bundle built once for this run in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
