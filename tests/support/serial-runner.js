'use strict';
/**
 * Jest's own runner, serial: the projects that start real servers (Temporal, SMTP, Chromium) run one
 * file at a time in the main process on 2 cores, after the unit and web projects' parallel workers.
 */
const TestRunner = require('jest-runner').default;

class SerialRunner extends TestRunner {
  isSerial = true;
}
module.exports = SerialRunner;
