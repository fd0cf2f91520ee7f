import { isWebPageOrigin } from '../../../native-helper/src/server/request-guard';

describe('request guard: Origin', () => {
  it('refuses real web pages (http and https origins)', () => {
    for (const origin of ['https://evil.example', 'http://127.0.0.1:8080', ' HTTPS://Evil.example ']) expect([origin, isWebPageOrigin(origin)]).toEqual([origin, true]);
  });

  it('accepts what a UXP panel or a local tool may send: nothing, "null", or a non-web scheme', () => {
    for (const origin of [undefined, 'null', 'uxp://mend.panel', 'file://', 'plugin:mend']) expect([origin, isWebPageOrigin(origin)]).toEqual([origin, false]);
  });
});
