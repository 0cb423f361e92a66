#!/usr/bin/env node
'use strict';
// `epa-flow migrate | worker | api`: the production processes (docs/operations.md, Production). Compiled to dist/ by `npm install`.
const { main } = require('../dist/src/processes/main.js');
main(process.argv).then((code) => process.exit(code));
