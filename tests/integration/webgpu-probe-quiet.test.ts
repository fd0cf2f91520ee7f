import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WEBGPU_PROBE_FILE } from '../../native-helper/src/config/webgpu-probe-cache';

const BIN = path.join(__dirname, '..', '..', 'native-helper', 'bin', 'mend.js');

describe('the WebGPU probe from the command line', () => {
  let configDir: string;
  beforeAll(() => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-probe-'));
  });
  afterAll(() => rmSync(configDir, { recursive: true, force: true }));

  // Before the probe moved to a child process, every unforced `mend` command here printed Dawn's
  // "XDG_RUNTIME_DIR is invalid" and the Vulkan loader's warnings to stderr.
  it('mend info keeps native output out of the terminal, names what WebGPU found and caches it in the config folder', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MEND_CONFIG_DIR: configDir };
    delete env.MEND_PROVIDER;
    const first = spawnSync('node', [BIN, 'info'], { env, encoding: 'utf8' });
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^WebGPU:\s+\S/m);
    const file = path.join(configDir, WEBGPU_PROBE_FILE);
    const cached = JSON.parse(readFileSync(file, 'utf8'));
    expect(cached.key).toContain('onnxruntime-node');
    expect(typeof cached.probe.usable).toBe('boolean');
    const written = statSync(file).mtimeMs;

    const second = spawnSync('node', [BIN, 'info', '--json'], { env, encoding: 'utf8' });
    expect(second.stderr).toBe('');
    expect(JSON.parse(second.stdout).webgpu).toEqual(cached.probe);
    expect(statSync(file).mtimeMs).toBe(written);
  });
});
