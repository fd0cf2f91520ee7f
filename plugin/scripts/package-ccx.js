/**
 * Packs the built panel (dist/plugin) into dist/mend.ccx, the file Creative Cloud installs on a
 * double-click: a zip whose root holds manifest.json. Run `npm run package` (it builds first).
 */
const { readFileSync, readdirSync, statSync, writeFileSync, renameSync } = require('node:fs');
const path = require('node:path');
const { zipSync } = require('fflate');

const root = path.join(__dirname, '..', '..');
const pluginDir = path.join(root, 'dist', 'plugin');
const manifest = JSON.parse(readFileSync(path.join(pluginDir, 'manifest.json'), 'utf8'));

function collect(dir, prefix = '') {
  const files = {};
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) Object.assign(files, collect(full, `${prefix}${name}/`));
    else files[`${prefix}${name}`] = readFileSync(full);
  }
  return files;
}

const out = path.join(root, 'dist', `mend-${manifest.version}.ccx`);
// Written beside the target and renamed, so a failed run never leaves a truncated package behind.
writeFileSync(`${out}.partial`, zipSync(collect(pluginDir), { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
renameSync(`${out}.partial`, out);
console.log(`${path.relative(root, out)} (${manifest.id} ${manifest.version}): install it with a double-click, or Creative Cloud's "Install plugin".`);
