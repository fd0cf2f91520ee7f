import manifest from '../../manifest.json';

/** The panel's app version: the manifest's, which a release keeps equal to the helper's package.json version. */
export const PANEL_VERSION: string = manifest.version;
