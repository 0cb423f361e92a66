/**
 * The EPA workflow bundle for the tests' workers, built once per jest run: the server-bound projects'
 * globalSetup (workflow-bundle-setup.ts) writes it to a temporary file and names it in
 * EPA_TEST_WORKFLOW_BUNDLE; a file run without that setup bundles once for itself.
 */
import { existsSync } from 'node:fs';
import { bundleWorkflowCode, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import { workflowsPath } from '../../workers/epa-worker';

export const BUNDLE_ENV = 'EPA_TEST_WORKFLOW_BUNDLE';

let built: Promise<{ code: string }> | undefined;

/** A Worker's `workflowBundle` for the EPA workflows. */
export async function epaWorkflowBundle(): Promise<NonNullable<WorkerOptions['workflowBundle']>> {
  const codePath = process.env[BUNDLE_ENV];
  if (codePath && existsSync(codePath)) return { codePath };
  built ??= bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  return await built;
}

/** Bundles the EPA workflows (what the globalSetup writes to its file). */
export async function bundleEpaWorkflows(): Promise<string> {
  return (await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') })).code;
}
