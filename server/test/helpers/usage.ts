/** The service credential for usage reports that the tests start servers with (USAGE_REPORT_TOKEN). */
export const USAGE_REPORT_TOKEN = 'usage-report-token-for-tests-0123456789abcdef';

export interface SendUsageOptions {
  /** The bearer token; USAGE_REPORT_TOKEN when left out, no Authorization header when null. */
  token?: string | null;
  /** Headers on top of the content type and the token (they may replace either). */
  headers?: Record<string, string>;
}

/**
 * POST /v1/keys/usage to the server at `url`, as the gateway reports calls. A string body is sent
 * as it is (to send what the server must refuse); anything else as JSON.
 */
export function sendUsage(url: string, body: unknown, { token = USAGE_REPORT_TOKEN, headers = {} }: SendUsageOptions = {}): Promise<Response> {
  return fetch(`${url}/v1/keys/usage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
