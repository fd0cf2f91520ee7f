#!/usr/bin/env node
'use strict';
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
try {
  require.resolve(entry);
} catch {
  process.stderr.write('mend: the helper is not built yet. Run `npm run build` (or `npm ci`) in the Mend folder first.\n');
  process.exit(70);
}
require(entry).main(process.argv.slice(2));
