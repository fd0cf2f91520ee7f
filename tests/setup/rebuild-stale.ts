import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '@jest/types';

const ROOT = path.join(__dirname, '..', '..');

/** Built code some tests run instead of the sources jest transpiles, and the npm script that builds it. */
interface Build {
  name: string;
  script: string;
  sources: string[];
  /** The file a source is built into. */
  outputOf(source: string): string;
}

const HELPER_SRC = path.join(ROOT, 'native-helper', 'src');
const HELPER_DIST = path.join(ROOT, 'native-helper', 'dist');
const PANEL_BUNDLE = path.join(ROOT, 'dist', 'plugin', 'index.js');

const HELPER: Build = {
  name: 'the helper (native-helper/dist)',
  script: 'build:helper',
  sources: [HELPER_SRC],
  outputOf: (source) => path.join(HELPER_DIST, path.relative(HELPER_SRC, source)).replace(/\.ts$/, '.js'),
};

const PANEL: Build = {
  name: 'the panel bundle (dist/plugin/index.js)',
  script: 'build:plugin',
  // The self-test reads the plugin's version from manifest.json, which the bundle embeds.
  sources: [path.join(ROOT, 'plugin', 'src'), path.join(HELPER_SRC, 'protocol'), path.join(ROOT, 'manifest.json')],
  outputOf: () => PANEL_BUNDLE,
};

/** Worker threads, `bin/mend.js` and the bench run the helper's build; the end-to-end tests also load the panel's. */
const BUILDS_OF_TIER: Record<string, Build[]> = { integration: [HELPER], parity: [HELPER], webgpu: [HELPER], e2e: [HELPER, PANEL] };

/** The files of a folder and its subfolders; a file stands for itself. */
function filesUnder(source: string): string[] {
  if (!statSync(source).isDirectory()) return [source];
  return readdirSync(source).flatMap((name) => filesUnder(path.join(source, name)));
}

function modifiedMs(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** The first source newer than what it is built into (or not built at all); undefined when the build is current. */
function staleSource(build: Build): string | undefined {
  return build.sources.flatMap(filesUnder).find((source) => modifiedMs(source) > modifiedMs(build.outputOf(source)));
}

/**
 * Jest's globalSetup of the tiers that run built code: a test must not pass or fail on JavaScript built from
 * older sources, so a stale build is rebuilt, and a build that fails stops the run saying what to run.
 */
export default function rebuildStale(_global: Config.GlobalConfig, project: Config.ProjectConfig): void {
  const tier = typeof project.displayName === 'string' ? project.displayName : project.displayName?.name;
  const builds = tier === undefined ? undefined : BUILDS_OF_TIER[tier];
  if (!builds) throw new Error(`jest.config.js runs rebuild-stale for the tier ${tier ?? '(unnamed)'}, which it lists no builds for`);
  for (const build of builds) {
    const source = staleSource(build);
    if (!source) continue;
    process.stderr.write(`\n${build.name} is older than ${path.relative(ROOT, source)}: running npm run ${build.script}\n`);
    const run = spawnSync(`npm run --silent ${build.script}`, { cwd: ROOT, stdio: 'inherit', shell: true });
    if (run.status !== 0)
      throw new Error(`${build.name} is older than its sources and could not be rebuilt: run \`npm run ${build.script}\`, fix what it reports, and run the tests again`);
  }
}
