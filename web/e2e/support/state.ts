import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface E2EState {
  apiUrl: string;
  webUrl: string;
  dataDir: string;
  /** Where the API fetches the secret scanner's public keys (LEAK_KEYS_URL); nothing listens until a test does. */
  leakKeysPort: number;
  /** The API's USAGE_REPORT_TOKEN: the gateway's credential for reporting calls. */
  usageReportToken: string;
}

/** Global setup writes the ports here; test workers inherit the variable. */
export function stateFile(): string {
  if (!process.env.PULZE_E2E_STATE) process.env.PULZE_E2E_STATE = join(tmpdir(), `pulze-web-e2e-${process.pid}.json`);
  return process.env.PULZE_E2E_STATE;
}

export function readState(): E2EState {
  return JSON.parse(readFileSync(stateFile(), 'utf8')) as E2EState;
}
