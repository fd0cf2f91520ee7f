/**
 * Renders plugin/icons/mend.svg into the PNG sizes the UXP manifest names (panel 23/46 px per theme,
 * plugin list 48/96 px). Run after changing the SVG: `node plugin/scripts/render-icons.js`.
 */
const { readFileSync } = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');

const dir = path.join(__dirname, '..', 'icons');
const svg = readFileSync(path.join(dir, 'mend.svg'), 'utf8');
// Dark themes get a light glyph, light themes a dark one.
const variants = [
  { name: 'panel-dark', side: 23, color: '#e6e6e6' },
  { name: 'panel-light', side: 23, color: '#323232' },
  { name: 'plugin', side: 48, color: '#4b9cf5' },
];

(async () => {
  for (const { name, side, color } of variants) {
    const tinted = Buffer.from(svg.replaceAll('currentColor', color));
    for (const [scale, suffix] of [
      [1, ''],
      [2, '@2x'],
    ]) {
      await sharp(tinted, { density: 72 * ((side * scale) / 48) })
        .resize(side * scale, side * scale)
        .png()
        .toFile(path.join(dir, `${name}${suffix}.png`));
    }
  }
})();
