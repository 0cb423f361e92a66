#!/usr/bin/env node
'use strict';
// The `epa` command. The TypeScript sources are compiled to dist/ by `npm install` (postinstall) and `npm run build`.
require('../dist/src/cli/main.js')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
