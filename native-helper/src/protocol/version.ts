import { z } from 'zod';

/**
 * The HTTP protocol's version (GET /v1/info's `api`): raised when a change would break a panel or a helper
 * of the previous one. Panel and helper ship together in a release, at the same app version; a user may
 * still update one and not the other, which is what the handshake below puts into words.
 */
export const PROTOCOL_VERSION = 1;

/**
 * The part of GET /v1/info every protocol version keeps: the panel reads it before the rest, so a helper
 * of another protocol is named as such instead of failing the full schema.
 */
export const helperIdentitySchema = z.object({ name: z.literal('mend'), version: z.string(), api: z.number().int().positive() });
export type HelperIdentity = z.infer<typeof helperIdentitySchema>;

/** Headers on the panel's GET /v1/info: its app version and protocol, so the helper can name a mismatch in its log too. */
export const PANEL_VERSION_HEADER = 'x-mend-panel-version';
export const PANEL_API_HEADER = 'x-mend-panel-api';

/** One side of the handshake: an app version (package.json / manifest.json) and its protocol version. */
export interface SideVersion {
  version: string;
  api: number;
}

export type VersionVerdict =
  | { kind: 'match' }
  /** Same protocol, other app versions: everything works; the message says which side to bring up to date. */
  | { kind: 'versions-differ'; update: 'panel' | 'helper'; message: string }
  /** Other protocols: the panel cannot use this helper until the side named in `update` is updated. */
  | { kind: 'incompatible'; update: 'panel' | 'helper'; message: string };

/** Orders `1.2.3`-style versions numerically; a pre-release (`1.2.3-rc.1`) sorts before its release. */
export function compareAppVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.trim().replace(/^v/, '').split('-', 2);
    return { parts: core.split('.').map((p) => Number.parseInt(p, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

const HOW_TO_UPDATE = {
  helper: (version: string) =>
    `Update the Mend helper: download the Mend helper ${version} for your computer, unpack it over the old one and start it again (\`mend serve\`, or restart the computer if \`mend service install\` starts it at login).`,
  panel: (version: string) => `Update the Mend panel: double-click the mend-${version}.ccx of the same release (Creative Cloud installs it), then reopen the panel.`,
};

/**
 * Whether this panel can use this helper, and if not, what to update, in words a retoucher acts on. The
 * older side is the one to update; with equal protocols but other app versions, the panel still works.
 */
export function versionVerdict(panel: SideVersion, helper: SideVersion): VersionVerdict {
  if (panel.api === helper.api && compareAppVersions(panel.version, helper.version) === 0) return { kind: 'match' };
  const newer = panel.api !== helper.api ? (panel.api > helper.api ? 'panel' : 'helper') : compareAppVersions(panel.version, helper.version) > 0 ? 'panel' : 'helper';
  const update = newer === 'panel' ? 'helper' : 'panel';
  const target = newer === 'panel' ? panel.version : helper.version;
  const sides = `The Mend panel is version ${panel.version} and the helper version ${helper.version}`;
  if (panel.api !== helper.api) {
    return {
      kind: 'incompatible',
      update,
      message: `${sides}: they speak different protocols (${panel.api} and ${helper.api}), so the panel cannot use this helper. ${HOW_TO_UPDATE[update](target)}`,
    };
  }
  return { kind: 'versions-differ', update, message: `${sides}; they work together, but the ${update} is older. ${HOW_TO_UPDATE[update](target)}` };
}
