/**
 * The client's side of the version handshake: it sends the panel's versions with its info request, and refuses
 * a helper of another protocol with a message that says what to update, before reading the rest of its answer.
 */
import { PANEL_API_HEADER, PANEL_VERSION_HEADER, PROTOCOL_VERSION, type Info } from '../../../native-helper/src/protocol';
import { HelperClient, HelperError, PANEL_SIDE } from '../../../plugin/src/helper-client/helper-client';
import { INFO } from '../ui/panel-services';

function clientAnswering(body: unknown, sent: Headers[] = []): HelperClient {
  const fetch = (async (_input: string, init?: RequestInit) => {
    sent.push(new Headers(init?.headers));
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof globalThis.fetch;
  return new HelperClient(
    'http://127.0.0.1:1',
    'token',
    () => {
      throw new Error('no socket in this test');
    },
    { fetch },
  );
}

describe('HelperClient version handshake', () => {
  it('sends the panel’s app and protocol versions (the manifest’s) with the token, and reads a helper of the same protocol', async () => {
    const sent: Headers[] = [];
    const info: Info = { ...INFO, version: PANEL_SIDE.version };
    expect(await clientAnswering(info, sent).info()).toEqual(info);
    expect(sent[0].get(PANEL_VERSION_HEADER)).toBe(PANEL_SIDE.version);
    expect(sent[0].get(PANEL_API_HEADER)).toBe(String(PROTOCOL_VERSION));
    expect(sent[0].get('authorization')).toBe('Bearer token');
  });

  it('refuses a helper of a newer protocol in words: update the panel, to the helper’s version', async () => {
    const future = { name: 'mend', version: '9.0.0', api: PROTOCOL_VERSION + 1, models: 'in a shape this panel does not know' };
    const error = (await clientAnswering(future)
      .info()
      .catch((e: unknown) => e)) as HelperError;
    expect(error).toBeInstanceOf(HelperError);
    expect(error.code).toBe('incompatible');
    expect(error.message).toMatch(/Update the Mend panel: double-click the mend-9\.0\.0\.ccx/);
    expect(error.details).toBe(`panel ${PANEL_SIDE.version} (protocol ${PROTOCOL_VERSION}), helper 9.0.0 (protocol ${PROTOCOL_VERSION + 1})`);
  });

  it('still calls an answer that is not Mend’s info a protocol error', async () => {
    await expect(clientAnswering({ hello: 'world' }).info()).rejects.toMatchObject({ code: 'protocol' });
  });
});
