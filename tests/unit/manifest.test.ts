import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORT } from '../../native-helper/src/protocol';

const ROOT = path.join(__dirname, '..', '..');

interface Icon {
  path: string;
  width: number;
  height: number;
  scale: number[];
}

describe('plugin manifest', () => {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));

  it('is a UXP v5 Photoshop panel needing Photoshop 25+', () => {
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: 'PS', minVersion: '25.0.0' });
    expect(manifest.entrypoints.map((e: { type: string }) => e.type)).toEqual(['panel']);
  });

  it('is versioned with the helper: a release ships both at the version the handshake compares', () => {
    expect(manifest.version).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('registers the panel under the id the bundle sets up', () => {
    expect(readFileSync(path.join(ROOT, 'plugin', 'src', 'index.tsx'), 'utf8')).toContain(`registerPanel('${manifest.entrypoints[0].id}'`);
  });

  it('may reach only the helper on loopback, by IP, at its port, and asks for nothing else', () => {
    // The self-test report is copied (clipboard: manifest v5 offers "read" or "readAndWrite") or saved where the
    // user picks in a save dialog ("request"): https://developer.adobe.com/photoshop/uxp/2022/guides/uxp-guide/uxp-misc/manifest-v5/
    expect(manifest.requiredPermissions).toEqual({
      network: { domains: [`http://127.0.0.1:${DEFAULT_PORT}`, `ws://127.0.0.1:${DEFAULT_PORT}`] },
      clipboard: 'readAndWrite',
      localFileSystem: 'request',
    });
    expect(JSON.stringify(manifest)).not.toMatch(/"all"|localhost/);
  });

  it('names icons that exist at every scale, for light and dark themes', () => {
    const icons: Icon[] = [...manifest.icons, ...manifest.entrypoints.flatMap((e: { icons: Icon[] }) => e.icons)];
    for (const icon of icons) {
      for (const scale of icon.scale) {
        const file = path.join(ROOT, 'plugin', icon.path.replace(/\.png$/, scale === 1 ? '.png' : `@${scale}x.png`));
        expect(existsSync(file)).toBe(true);
      }
    }
    const themes = manifest.entrypoints[0].icons.flatMap((i: { theme: string[] }) => i.theme);
    expect(themes).toEqual(expect.arrayContaining(['darkest', 'dark', 'medium', 'light', 'lightest']));
  });
});
