/**
 * The time-skipping test environment for lifecycle tests, on the test server our install step
 * cached (or $TEMPORAL_TEST_SERVER_PATH); on a machine with internet and no cache, the SDK's download.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTestServer } from './binaries';

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const executable = resolveTestServer();
  return await TestWorkflowEnvironment.createTimeSkipping({
    server: {
      executable: executable.type === 'existing-path' ? { type: 'existing-path', path: executable.path } : { type: 'cached-download' },
    },
  });
}
