import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  name?: string;
  version: string;
  /** Set in the release archive's package.json (scripts/release): models live in the user's config folder. */
  mendRelease?: boolean;
}

/**
 * The folder of Mend's package.json above `from`: native-helper/{src,dist}/ in a checkout, native-helper/dist/cli/
 * in the release archive, whose bundle puts every module in one file.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as PackageJson).name === 'mend') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json of mend above ${from}`);
  }
}

/** Root of the package the helper ships in: the checkout, or the unpacked release archive. */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

const packageJson = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as PackageJson;

export const HELPER_VERSION: string = packageJson.version;

/** Whether this is the release archive (no npm, no checkout): its models go to the user's config folder, not the package. */
export const IS_RELEASE = packageJson.mendRelease === true;
