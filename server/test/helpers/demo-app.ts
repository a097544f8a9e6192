import { orgOf } from './keys';
import { startTestApp, type TestApp } from './test-app';

export interface DemoApp {
  t: TestApp;
  /** The session token of Acme AI's owner. */
  owner: string;
  /** Acme AI's organization id. */
  acme: string;
  /** Acme AI's space ids by name. */
  spaces: Record<string, string>;
}

/** A test app on the demo data, with Acme AI's owner signed in. */
export async function startDemoApp(env: Record<string, string> = {}): Promise<DemoApp> {
  const t = await startTestApp(env);
  try {
    const owner = await t.login('owner@acme.test');
    const { id: acme, spaces } = await orgOf(t, owner, 'Acme AI');
    return { t, owner, acme, spaces };
  } catch (error) {
    await t.stop();
    throw error;
  }
}
