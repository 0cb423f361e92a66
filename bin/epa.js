#!/usr/bin/env node
'use strict';
// The `epa` command. The TypeScript sources are compiled to dist/ by `npm install` (postinstall) and `npm run build`.
const { main } = require('../dist/src/cli/main.js');
const { addLiveCommands } = require('../dist/src/cli/live.js');
main(process.argv, undefined, addLiveCommands).then((code) => {
  process.exitCode = code;
});
