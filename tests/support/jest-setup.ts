import { DefaultLogger, Runtime } from '@temporalio/worker';

// Keep test output readable: the SDK logs worker state changes at INFO.
Runtime.install({ logger: new DefaultLogger('WARN') });
