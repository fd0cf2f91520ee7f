import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../native-helper/src/cli/main';
import { serve } from '../../../native-helper/src/cli/serve-command';
import { readPairingCode } from '../../../native-helper/src/config/pairing-code';
import { FACE_MODELS } from '../../../native-helper/src/faces/face-models';
import { HELPER_VERSION } from '../../../native-helper/src/package-info';
import { PANEL_API_HEADER, PANEL_VERSION_HEADER, PROTOCOL_VERSION, routes } from '../../../native-helper/src/protocol';
import { FAKE_MODELS, fakeApp, recordingIo } from './fake-app';

async function mend(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const app = fakeApp(undefined, { provider: 'cpu', fallbackReason: 'no WebGPU adapter', available: ['webgpu', 'cpu'] });
  const io = recordingIo(app, env);
  const code = await runCli(argv, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join(''), app };
}

describe('mend models / info / serve / --help (with a fake app)', () => {
  let configDir: string;
  beforeAll(() => {
    configDir = mkdtempSync(path.join(tmpdir(), 'mend-cli-config-'));
  });
  afterAll(() => rmSync(configDir, { recursive: true, force: true }));

  it('models --json prints the catalog, then the face analysis models, as [{id, task, scale, path, sha256, status}] and nothing else', async () => {
    const result = await mend(['models', '--json']);
    expect(result.code).toBe(0);
    // The face models are read from the real model cache, where `mend models prepare` may or may not have built them.
    const faceModels = Object.values(FACE_MODELS).map((m) => ({
      id: m.id,
      task: m.use,
      scale: 1,
      path: expect.stringContaining(m.file),
      sha256: m.sha256,
      status: expect.stringMatching(/^(ready|not-built|corrupt)$/),
    }));
    expect(JSON.parse(result.stdout)).toEqual([
      ...FAKE_MODELS.map(({ id, task, scale, path: file, sha256, status }) => ({ id, task, scale, path: file, sha256, status })),
      ...faceModels,
    ]);
    expect(result.app.closed).toBe(1);
  });

  it('models prints a table with each status and the default marked', async () => {
    const { code, stdout } = await mend(['models']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^MODEL\s+TASK\s+SCALE\s+DOMAIN\s+STATUS$/m);
    expect(stdout).toMatch(/^fake-x2 \*\s+upscale\s+×2\s+photo\s+ready$/m);
    expect(stdout).toMatch(/^fake-x4\s+upscale\s+×4\s+photo\s+not-built$/m);
    expect(stdout).toMatch(/^fake-deblur\s+restore\s+×1\s+photo\s+available$/m);
    expect(stdout).toMatch(/mend models prepare/);
    expect(stdout).toMatch(/`available` are downloaded and built by the first job that runs them, or by `mend models prepare <id>`/);
  });

  it('info shows the provider in use, why the GPU is not used, the providers available and the version', async () => {
    const text = await mend(['info'], { MEND_CONFIG_DIR: configDir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Mend helper ${HELPER_VERSION}`);
    expect(text.stdout).toMatch(/^Provider:\s+cpu \(GPU not used: no WebGPU adapter\)$/m);
    expect(text.stdout).toMatch(/^Available:\s+webgpu, cpu$/m);
    expect(text.stdout).toMatch(/^Models:\s+2 of 4 ready/m);

    const json = await mend(['info', '--json', '--provider', 'cpu'], { MEND_CONFIG_DIR: configDir });
    expect(JSON.parse(json.stdout)).toMatchObject({
      version: HELPER_VERSION,
      provider: 'cpu',
      fallbackReason: 'no WebGPU adapter',
      availableProviders: ['webgpu', 'cpu'],
      configDir,
    });
    expect(json.app.options[0].provider).toBe('cpu');
  });

  it('--help lists the commands and documents the exit codes; --version prints the version', async () => {
    const help = await mend(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['upscale', 'restore', 'models', 'info', 'serve', 'service']) expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+runtime failure.*\n\s+2\s+bad usage.*\n\s+3\s+bad input.*\n\s+4\s+model missing/);
    const upscaleHelp = await mend(['upscale', '--help']);
    expect(upscaleHelp.stdout).toMatch(/-o, --output <output>[\s\S]*--model <id>[\s\S]*--tile <N>[\s\S]*--provider <p>[\s\S]*--overwrite[\s\S]*--json/);
    const version = await mend(['--version']);
    expect([version.code, version.stdout]).toEqual([0, `${HELPER_VERSION}\n`]);
  });

  it('serve prints the URL and pairing code that work, and stops cleanly on Ctrl+C', async () => {
    const app = fakeApp();
    const io = recordingIo(app, { MEND_CONFIG_DIR: configDir });
    // Port 0: any free port (the command line asks for 1..65535).
    const running = serve({ port: 0 }, io);
    const started = Date.now();
    while (!io.out.join('').includes('Ctrl+C') && Date.now() - started < 10_000) await new Promise((resolve) => setTimeout(resolve, 10));
    const printed = io.out.join('');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1];
    const code = /Pairing code: (\d{6})/.exec(printed)?.[1];
    expect(printed).toMatch(/Mend panel in Photoshop/);
    expect(url && code).toBeTruthy();
    // What `mend service pairing-code` reads for a helper started at login.
    expect(await readPairingCode(configDir)).toBe(code);

    const paired = await fetch(`${url}${routes.pair}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
    expect(paired.status).toBe(200);
    const { token } = (await paired.json()) as { token: string };
    const info = await fetch(`${url}${routes.info}`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.status).toBe(200);
    expect(((await info.json()) as { provider: { name: string } }).provider.name).toBe('fake-gpu');
    // An older panel's handshake is logged once, though the panel polls info again and again.
    const olderPanel = { authorization: `Bearer ${token}`, [PANEL_VERSION_HEADER]: '0.0.9', [PANEL_API_HEADER]: String(PROTOCOL_VERSION) };
    for (let poll = 0; poll < 2; poll++) expect((await fetch(`${url}${routes.info}`, { headers: olderPanel })).status).toBe(200);
    const logged = io.err
      .join('')
      .split('\n')
      .filter((line) => line.includes('Update the Mend panel'));
    expect(logged).toEqual([expect.stringMatching(/panel is version 0\.0\.9 and the helper version .*; they work together/)]);

    io.interrupt();
    expect(await running).toBe(0);
    expect(app.closed).toBe(1);
    expect(io.interruptible()).toBe(false);
    await expect(fetch(`${url}${routes.info}`)).rejects.toThrow();
    expect(await readPairingCode(configDir)).toBeUndefined();
  });

  it('models prepare --registry takes a URL only', async () => {
    const result = await mend(['models', 'prepare', '--registry', 'not a url', 'identity']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--registry must be a URL/);
  });

  it('serve --port rejects a port out of range as bad usage', async () => {
    const result = await mend(['serve', '--port', '70000']);
    expect([result.code, result.stderr]).toEqual([2, expect.stringMatching(/--port must be a whole number from 1 to 65535/)]);
    expect(result.app.options).toHaveLength(0);
  });

  it('eval refuses an unknown degradation, and --degradations with --quick, as bad usage before loading anything', async () => {
    const unknown = await mend(['eval', '--degradations', 'motion-linear,fog'], { MEND_CONFIG_DIR: configDir });
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/unknown degradation fog; the degradations are bicubic-x2, /)]);
    const both = await mend(['eval', '--quick', '--degradations', 'haze'], { MEND_CONFIG_DIR: configDir });
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/--quick runs its one fixed degradation/)]);
    expect([...unknown.app.options, ...both.app.options]).toHaveLength(0);
  });

  it('eval refuses --detail-curve or --invented-detail with --quick or --degradations, as bad usage before loading anything', async () => {
    const quick = await mend(['eval', '--detail-curve', '--quick'], { MEND_CONFIG_DIR: configDir });
    const degradations = await mend(['eval', '--invented-detail', '--degradations', 'haze'], { MEND_CONFIG_DIR: configDir });
    for (const run of [quick, degradations]) expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/run their own set; leave out --quick and --degradations/)]);
    expect([...quick.app.options, ...degradations.app.options]).toHaveLength(0);
  });
});
