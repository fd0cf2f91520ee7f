/**
 * `npm run release`: this machine's helper as an archive that runs without Node, npm or the repository
 * (`dist/mend-helper-<version>-<platform>-<arch>.tar.gz`), the panel's `.ccx`, and a file of their SHA-256 sums.
 * CI runs the same script on Windows and macOS (.github/workflows/release.yml).
 *
 * Layout of the archive (the checkout's own paths, so the helper finds its files as it does in a checkout):
 *   mend (mend.cmd on Windows)       runs runtime/node on native-helper/bin/mend.js
 *   runtime/node                     this machine's Node runtime (process.execPath)
 *   native-helper/dist/…             the helper bundled by esbuild: cli/main.js and its two worker scripts
 *   node_modules/…                   the native parts, as their packages: onnxruntime-node (this platform's
 *                                    binding and library), sharp with its libvips package
 *   models/manifests, sources.json   the catalog and the pinned model sources (models download on first run)
 *   package.json                     version, and `mendRelease`: models go to the user's config folder
 *
 * Flags: `--out <dir>` (default dist/), `--no-ccx` (the archive alone, as the release test builds it).
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import * as tar from 'tar';

const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };
const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'macos', win32: 'windows' };

/** The native packages the bundle leaves to node_modules: they load binaries from paths of their own. */
const NATIVE_PACKAGES = ['onnxruntime-node', 'sharp'];

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** The folder Node would load `name` from, seen from `from` (by the lookup paths: not every package exports its package.json). */
function packageDir(name: string, from = ROOT): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${name} is not installed (looked from ${from})`);
  }
}

/**
 * Copies a package and, recursively, its dependencies into `modules`. onnxruntime-node keeps only this
 * platform's binaries, and not its install script's dependencies (its CUDA download is not shipped).
 */
function copyPackage(name: string, modules: string, from = ROOT, seen = new Set<string>()): void {
  if (seen.has(name)) return;
  seen.add(name);
  const source = packageDir(name, from);
  const target = path.join(modules, name);
  const json = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
  };
  if (name === 'onnxruntime-node') {
    const binaries = path.join('bin', 'napi-v6', process.platform, process.arch);
    // onnxruntime-node 1.30 ships no binding for macOS on Intel (darwin/x64): say so rather than ship a helper that cannot run a model.
    if (!existsSync(path.join(source, binaries, 'onnxruntime_binding.node')))
      throw new Error(`onnxruntime-node ${json.version} ships no binding for ${process.platform}-${process.arch} (no ${binaries}); no release can be made here`);
    for (const part of ['package.json', 'LICENSE', 'dist', binaries])
      if (existsSync(path.join(source, part))) cpSync(path.join(source, part), path.join(target, part), { recursive: true });
    copyPackage('onnxruntime-common', modules, source, seen);
    return;
  }
  // A dependency npm nested inside the package (another version than the top level's) comes along with it.
  cpSync(source, target, { recursive: true });
  const nested = (dependency: string) => packageDir(dependency, source).startsWith(`${source}${path.sep}`);
  for (const dependency of Object.keys(json.dependencies ?? {})) if (!nested(dependency)) copyPackage(dependency, modules, source, seen);
  // sharp's binary packages are optional dependencies, one per platform: this machine's are the installed ones.
  for (const optional of Object.keys(json.optionalDependencies ?? {})) {
    if (!existsSync(path.join(ROOT, 'node_modules', optional, 'package.json'))) continue;
    if (!nested(optional)) copyPackage(optional, modules, source, seen);
  }
}

const LAUNCHER_SH = `#!/bin/sh
# The Mend helper, run by the Node runtime beside it: no Node, npm or checkout needed on this machine.
# Shell built-ins only, so it runs with no PATH at all.
case "$0" in */*) here="\${0%/*}" ;; *) here=. ;; esac
exec "$here/runtime/node" "$here/native-helper/bin/mend.js" "$@"
`;

const LAUNCHER_CMD = `@echo off\r
rem The Mend helper, run by the Node runtime beside it: no Node, npm or checkout needed on this machine.\r
"%~dp0runtime\\node.exe" "%~dp0native-helper\\bin\\mend.js" %*\r
`;

function readme(version: string, exe: string): string {
  return `Mend helper ${version}

The helper the Mend panel in Photoshop talks to. It needs no Node.js, npm or download of its own code.

  ${exe} serve               start the helper; enter the pairing code it prints once in the panel
  ${exe} service install     start the helper now and at every login (\`${exe} service pairing-code\` prints its code)
  ${exe} models prepare      download and build the models now (else the first job that needs one does)
  ${exe} info                versions, execution provider and folders

Models go to your Mend config folder (see \`${exe} info\`). The panel's .ccx of the same version matches this
helper; the panel says so, and what to update, when they differ.
`;
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function main(): Promise<void> {
  const platform = PLATFORM_NAMES[process.platform];
  if (!platform) throw new Error(`no release is made for ${process.platform}`);
  const target = `${platform}-${process.arch}`;
  const out = path.resolve(flag('--out') ?? path.join(ROOT, 'dist'));
  const name = `mend-helper-${PACKAGE.version}-${target}`;
  const staging = path.join(out, 'release', name);
  const started = Date.now();
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const dist = path.join(staging, 'native-helper', 'dist');
  await build({
    entryPoints: {
      'cli/main': path.join(ROOT, 'native-helper', 'src', 'cli', 'main.ts'),
      'catalog/convert-worker': path.join(ROOT, 'native-helper', 'src', 'catalog', 'convert-worker.ts'),
      'engine/session-worker': path.join(ROOT, 'native-helper', 'src', 'engine', 'session-worker.ts'),
      // The WebGPU probe's child process (engine/webgpu-probe.ts starts it from this path).
      'engine/webgpu-probe-child': path.join(ROOT, 'native-helper', 'src', 'engine', 'webgpu-probe-child.ts'),
    },
    outdir: dist,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: NATIVE_PACKAGES,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  mkdirSync(path.join(staging, 'native-helper', 'bin'));
  copyFileSync(path.join(ROOT, 'native-helper', 'bin', 'mend.js'), path.join(staging, 'native-helper', 'bin', 'mend.js'));
  writeFileSync(
    path.join(staging, 'package.json'),
    `${JSON.stringify({ name: 'mend', version: PACKAGE.version, private: true, license: PACKAGE.license, mendRelease: true }, null, 2)}\n`,
  );
  cpSync(path.join(ROOT, 'models', 'manifests'), path.join(staging, 'models', 'manifests'), { recursive: true });
  copyFileSync(path.join(ROOT, 'models', 'sources.json'), path.join(staging, 'models', 'sources.json'));

  const exe = process.platform === 'win32' ? 'mend' : './mend';
  mkdirSync(path.join(staging, 'runtime'));
  copyFileSync(process.execPath, path.join(staging, 'runtime', process.platform === 'win32' ? 'node.exe' : 'node'));
  if (process.platform === 'win32') writeFileSync(path.join(staging, 'mend.cmd'), LAUNCHER_CMD);
  else {
    writeFileSync(path.join(staging, 'mend'), LAUNCHER_SH);
    chmodSync(path.join(staging, 'mend'), 0o755);
  }
  writeFileSync(path.join(staging, 'README.txt'), readme(PACKAGE.version, exe));
  for (const native of NATIVE_PACKAGES) copyPackage(native, path.join(staging, 'node_modules'));

  const archive = path.join(out, `${name}.tar.gz`);
  await tar.c({ gzip: { level: 6 }, file: `${archive}.partial`, cwd: path.dirname(staging), portable: true }, [name]);
  renameSync(`${archive}.partial`, archive);
  const made = [archive];

  if (!process.argv.includes('--no-ccx')) {
    execFileSync('npm', ['run', 'package'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
    const ccx = path.join(ROOT, 'dist', `mend-${PACKAGE.version}.ccx`);
    if (path.dirname(ccx) !== out) copyFileSync(ccx, path.join(out, path.basename(ccx)));
    made.push(path.join(out, path.basename(ccx)));
  }
  const sums = path.join(out, `mend-${PACKAGE.version}-${target}-SHA256SUMS.txt`);
  writeFileSync(sums, (await Promise.all(made.map(async (file) => `${await sha256(file)}  ${path.basename(file)}\n`))).join(''));
  made.push(sums);
  const size = (file: string) => `${(statSync(file).size / 1e6).toFixed(1)} MB`;
  for (const file of made) console.log(`${path.relative(process.cwd(), file)} (${size(file)})`);
  console.log(`release ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s; unpacked in ${path.relative(process.cwd(), staging)} (${readdirSync(staging).join(', ')})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
