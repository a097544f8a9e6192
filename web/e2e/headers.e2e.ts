import type { Page } from 'playwright-core';
import { bodyRows, signIn, urls, usePage } from './support/browser';

/** `Content-Security-Policy` as directive -> sources. */
function parsePolicy(header: string | null): Map<string, string[]> {
  const policy = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [directive, ...sources] = part.trim().split(/\s+/);
    if (directive) policy.set(directive.toLowerCase(), sources);
  }
  return policy;
}

async function get(path: string): Promise<Response> {
  const response = await fetch(new URL(path, urls().webUrl));
  expect(response.status).toBe(200);
  return response;
}

function expectSecurityHeaders(response: Response): void {
  const policy = parsePolicy(response.headers.get('content-security-policy'));
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(['strict-origin-when-cross-origin', 'no-referrer']).toContain(response.headers.get('referrer-policy'));
}

describe('security headers of the web app (vite preview)', () => {
  it('are sent with the app, its deep links and its assets', async () => {
    const index = await get('/');
    expectSecurityHeaders(index);
    const html = await index.text();
    expectSecurityHeaders(await get('/orgs/some-org/api-keys?q=prod'));
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) expectSecurityHeaders(await get(asset));
  });

  it('serve an index.html without inline scripts or inline event handlers', async () => {
    const html = await (await get('/')).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body?.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
  });
});

let page: Page;
usePage((p) => (page = p));

/** Collects CSP violations from the page's events and from Chromium's console. */
async function watchViolations(target: Page): Promise<{ all: () => Promise<string[]> }> {
  const consoleMessages: string[] = [];
  target.on('console', (message) => {
    const text = message.text();
    if (/Refused to|Content Security Policy/i.test(text)) consoleMessages.push(text);
  });
  await target.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  return {
    all: async () => {
      const events = await target.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
      return [...events, ...consoleMessages];
    },
  };
}

describe('the Content-Security-Policy in the browser', () => {
  it('is enforced: an injected inline script does not run and is reported', async () => {
    const violations = await watchViolations(page);
    await page.goto('/sign-in');
    await page.getByLabel('Email').waitFor();
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.head.appendChild(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    expect((await violations.all()).some((v) => /script-src/.test(v))).toBe(true);
  });

  it('refuses to be framed by another page', async () => {
    const { webUrl } = urls();
    await page.setContent(`<iframe src="${webUrl}/sign-in" title="framed app"></iframe>`);
    // A refused frame is replaced by Chromium's error page; the app never loads in it.
    await page.waitForFunction(() => document.querySelector('iframe') !== null);
    const deadline = Date.now() + 10_000;
    const child = () => page.frames().find((frame) => frame !== page.mainFrame());
    while (child()?.url() !== 'chrome-error://chromewebdata/' && Date.now() < deadline) await page.waitForTimeout(100);
    expect(child()?.url()).toBe('chrome-error://chromewebdata/');
    expect(page.frames().some((frame) => frame.url().startsWith(webUrl))).toBe(false);
  });

  it('reports no violation on the keys page, its dialogs and the playground', async () => {
    const violations = await watchViolations(page);
    await signIn(page, 'owner@acme.test');
    await bodyRows(page).first().waitFor();

    // Radix dialogs lock scrolling with a style element; the details panel draws the usage chart.
    await page.getByRole('button', { name: '+ New API Key' }).first().click();
    await page.getByRole('dialog', { name: 'New API Key' }).waitFor();
    await page.keyboard.press('Escape');
    await bodyRows(page).first().getByRole('button').first().click();
    await page.locator('.usage-chart').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.sheet').waitFor({ state: 'detached' });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground' }).click();
    await page.locator('.graphiql-query-editor').getByText('MyOrganizations').waitFor();
    await page.getByRole('button', { name: /Execute query/ }).click();
    await page.waitForFunction(() => document.querySelector('.graphiql-response')?.textContent?.includes('"owner@acme.test"'));
    // The documentation explorer renders the schema with its own markup and styles.
    await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
    await page.locator('.graphiql-doc-explorer').waitFor();

    expect(await violations.all()).toEqual([]);
  });
});
