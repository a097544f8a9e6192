import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const KEYS_PATH = '/meta/public_keys/secret_scanning';

interface ScannerKey {
  id: string;
  privateKey: KeyObject;
  publicPem: string;
  current: boolean;
}

/**
 * Plays GitHub's secret scanning: P-256 key pairs made with node:crypto, the public ones served
 * from a local HTTP server in the meta endpoint's shape, and reports signed with the private ones.
 */
export class FakeSecretScanner {
  private readonly keys: ScannerKey[] = [];
  private server: http.Server | undefined;
  /** Requests the key-set endpoint has answered. */
  requests = 0;
  /** When set, the key set answers this status instead of the keys. */
  failWith: number | undefined;
  url = '';

  constructor() {
    this.addKey();
  }

  /** A new key pair, listed in the key set from now on; returns its identifier. */
  addKey(current = true): string {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`.padEnd(64, '0').slice(0, 64);
    for (const key of this.keys) key.current = false;
    this.keys.push({ id, privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), current });
    return id;
  }

  get currentKeyId(): string {
    return (this.keys.find((k) => k.current) ?? this.keys[0]!).id;
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      this.requests++;
      if (req.url !== KEYS_PATH) return void res.writeHead(404).end();
      if (this.failWith) return void res.writeHead(this.failWith, { 'content-type': 'application/json' }).end('{"message":"unavailable"}');
      const body = JSON.stringify({ public_keys: this.keys.map((k) => ({ key_identifier: k.id, key: k.publicPem, is_current: k.current })) });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${KEYS_PATH}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  /** The headers GitHub sends with `body`: the key identifier and the base64 DER signature of its bytes. */
  sign(body: string | Buffer, keyId = this.currentKeyId): Record<string, string> {
    const key = this.keys.find((k) => k.id === keyId);
    if (!key) throw new Error(`no scanner key ${keyId}`);
    const signature = sign('sha256', typeof body === 'string' ? Buffer.from(body) : body, { key: key.privateKey, dsaEncoding: 'der' });
    return { 'Github-Public-Key-Identifier': keyId, 'Github-Public-Key-Signature': signature.toString('base64') };
  }
}

export interface LeakToken {
  token: string;
  type: string;
  url: string;
  source: string;
}

export const report = (token: string, url = 'https://github.com/acme/app/blob/main/.env', source = 'commit'): LeakToken => ({
  token,
  type: 'pulze_api_key',
  url,
  source,
});

export interface LeaksAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when the body is not JSON. */
  body: any;
}

/** Sends `body` (exactly these bytes) to the leaks endpoint with `headers`. */
export async function postLeaks(baseUrl: string, body: string | Buffer, headers: Record<string, string>): Promise<LeaksAnswer> {
  const res = await fetch(`${baseUrl}/v1/keys/leaks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json };
}
