import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Root of the package the helper ships in: native-helper/{src,dist}/ → ../.. */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

export const HELPER_VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
