/**
 * The time-skipping test environment for lifecycle tests, on the test server our install step
 * cached (or $TEMPORAL_TEST_SERVER_PATH); on a machine with internet and no cache, the SDK's download.
 * The EPA search attributes are registered, as on the dev server.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTestServer } from './binaries';
import { ensureSearchAttributes } from './dev-server';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const executable = resolveTestServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable:
        executable.type === 'existing-path' ? { type: 'existing-path', path: executable.path } : { type: 'cached-download' },
    },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
