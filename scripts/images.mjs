#!/usr/bin/env node
// The build steps of the Docker images, as commands that the Dockerfiles and CI both run:
//
//   node scripts/images.mjs server-bundle <dir>   what docker/server.Dockerfile ships: the built
//                                                 server, deployed with production dependencies only
//   node scripts/images.mjs web-bundle            what docker/web.Dockerfile ships: web/dist
//   node scripts/images.mjs check                 CI, without a Docker engine: both bundles, then each
//                                                 run as its image runs it (the server's ENV, CMD and
//                                                 HEALTHCHECK; `nginx -t` and a real nginx on the web
//                                                 image's config in front of it; Chromium loading the
//                                                 app under that config's Content-Security-Policy)
//
// A broken image build therefore fails CI here even though no image is built.
/* global window, document -- the browser check runs functions in the page */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sh(command, args, options = {}) {
  console.log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `status ${result.status}`})`);
}

/** The built server with its production dependencies, in `out` (empty or absent). */
function serverBundle(out) {
  if (!out) throw new Error('usage: images.mjs server-bundle <dir>');
  out = path.resolve(out);
  fs.rmSync(out, { recursive: true, force: true });
  sh('pnpm', ['--filter', './shared', '--filter', './server', 'build']);
  sh('pnpm', ['--filter', './server', 'deploy', '--prod', '--legacy', out]);
  // deploy copies the package folder; the image needs only dist/ (copied fresh) and what it runs on.
  for (const dev of ['src', 'test', 'dist', 'jest.config.js', '.swcrc', 'tsconfig.json', 'tsconfig.build.json']) {
    fs.rmSync(path.join(out, dev), { recursive: true, force: true });
  }
  fs.cpSync(path.join(root, 'server', 'dist'), path.join(out, 'dist'), { recursive: true });
  if (!fs.existsSync(path.join(out, 'dist', 'main.js'))) throw new Error('server bundle lacks dist/main.js');
  // The workspace package must resolve to its built code, as the server's require() will.
  const shared = createRequire(path.join(out, 'dist', 'main.js')).resolve('@pulze/shared');
  if (!shared.startsWith(out) || !fs.existsSync(shared)) throw new Error(`server bundle resolves @pulze/shared to ${shared}`);
}

/** web/dist, built as the web image builds it. */
function webBundle() {
  sh('pnpm', ['--filter', './shared', 'build']);
  sh('pnpm', ['--filter', './web', 'build']);
}

// ---- what CI runs ----

/** `KEY=value` pairs of every ENV line, the exec-form CMD and HEALTHCHECK of a Dockerfile. */
function readDockerfile(file) {
  const text = fs.readFileSync(path.join(root, file), 'utf8').replace(/\\\n/g, ' ');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env = {};
  for (const [, pairs] of lastStage.matchAll(/^ENV (.+)$/gm)) {
    for (const [, key, value] of pairs.matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)) env[key] = value;
  }
  const execForm = (re) => {
    const match = re.exec(lastStage);
    return match ? JSON.parse(match[1]) : undefined;
  };
  return {
    text,
    lastStage,
    env,
    cmd: execForm(/^CMD (\[.*\])$/m),
    healthcheck: execForm(/^HEALTHCHECK .*CMD (\[.*\])$/m),
    user: /^USER (\S+)$/m.exec(lastStage)?.[1],
  };
}

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(what, probe, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what}: the process exited with ${child.exitCode}`);
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stop(child) {
  if (!child || child.exitCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  return exited;
}

/** Fills `${NAME}` for the given names only, as the nginx image's envsubst does; nginx's `$vars` stay. */
function renderTemplate(template, values) {
  const out = template.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (whole, name) => values[name] ?? whole);
  const left = out.match(/\$\{[A-Z_][A-Z0-9_]*\}/g);
  if (left) throw new Error(`placeholders left unfilled: ${left.join(', ')}`);
  return out;
}

let failures = 0;
function expect(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
}

async function check() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulze-images-'));
  fs.chmodSync(tmp, 0o755); // nginx's workers run as nobody when CI runs as root
  const children = [];
  try {
    // --- compose: every setting of the README's table can be given to the server ---
    const compose = fs.readFileSync(path.join(root, 'docker', 'compose.yaml'), 'utf8');
    const serverService = /^ {2}server:\n([\s\S]*?)(?=^ {2}\S)/m.exec(compose)?.[1] ?? '';
    const serverEnvBlock = /^ {4}environment:\n((?: {6}.*\n|\s*#.*\n)*)/m.exec(serverService)?.[1] ?? '';
    const composeNames = new Set([...serverEnvBlock.matchAll(/^ {6}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]));
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const configSection = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
    const readmeNames = new Set([...configSection.matchAll(/^\|([^|]*)\|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((n) => n[1])));
    // Set by the image itself (ENV) or only meaningful to `pnpm start`.
    const imageOwned = new Set(['PORT', 'HOST', 'DATA_DIR', 'WEB_PORT']);
    const notPassed = [...readmeNames].filter((n) => !imageOwned.has(n) && !composeNames.has(n));
    // A name in compose must be one the server reads (its config) or the README documents: no typos.
    const configNames = new Set([...fs.readFileSync(path.join(root, 'server', 'src', 'config.ts'), 'utf8').matchAll(/\b([A-Z][A-Z0-9_]+):/g)].map((m) => m[1]));
    const unknown = [...composeNames].filter((n) => !readmeNames.has(n) && !configNames.has(n));
    expect(readmeNames.size > 10 && composeNames.size > 5, `read ${readmeNames.size} settings from the README table and ${composeNames.size} from compose.yaml`);
    expect(notPassed.length === 0, `every README setting can be passed to the server in docker/compose.yaml${notPassed.length ? ` (add to server.environment: ${notPassed.join(', ')})` : ''}`);
    expect(unknown.length === 0, `compose.yaml sets only settings the server reads${unknown.length ? ` (neither in the README table nor in server/src/config.ts: ${unknown.join(', ')})` : ''}`);

    // --- server image ---
    const serverFile = readDockerfile('docker/server.Dockerfile');
    expect(serverFile.text.includes('node scripts/images.mjs server-bundle'), 'server.Dockerfile builds with `images.mjs server-bundle`');
    expect(serverFile.user !== undefined && serverFile.user !== 'root' && serverFile.user !== '0', `server image runs as a non-root user (${serverFile.user})`);
    expect(Array.isArray(serverFile.healthcheck), 'server image has an exec-form HEALTHCHECK');
    const bundle = path.join(tmp, 'server');
    serverBundle(bundle);
    expect(!fs.existsSync(path.join(bundle, 'node_modules', 'jest')), 'server bundle has no devDependencies');
    expect(!fs.existsSync(path.join(bundle, 'src')), 'server bundle has no sources');

    const apiPort = await freePort();
    const dataDir = path.join(tmp, 'data');
    fs.mkdirSync(dataDir);
    const serverEnv = {
      ...process.env,
      ...serverFile.env,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
    };
    console.log(`$ (in the server bundle) ${serverFile.cmd.join(' ')}   PORT=${apiPort}`);
    const server = spawn(serverFile.cmd[0], serverFile.cmd.slice(1), { cwd: bundle, env: serverEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    children.push(server);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('server /healthz', async () => (await fetch(`${apiUrl}/healthz`)).ok, server);
    expect(true, 'the deployed server starts with the image CMD and answers /healthz');
    const health = spawnSync(serverFile.healthcheck[0], serverFile.healthcheck.slice(1), { cwd: bundle, env: serverEnv, timeout: 10_000 });
    expect(health.status === 0, "the server image's HEALTHCHECK command passes against it");

    // --- web image ---
    const webFile = readDockerfile('docker/web.Dockerfile');
    expect(webFile.text.includes('node scripts/images.mjs web-bundle'), 'web.Dockerfile builds with `images.mjs web-bundle`');
    expect(webFile.user !== 'root' && webFile.user !== '0' && /nginx-unprivileged/.test(webFile.lastStage), 'web image runs nginx unprivileged');
    expect(Array.isArray(webFile.healthcheck), 'web image has an exec-form HEALTHCHECK');
    webBundle();
    const dist = path.join(root, 'web', 'dist');
    const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
    const inlineScripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attrs, body]) => !/\bsrc=/.test(attrs) || body.trim());
    expect(inlineScripts.length === 0, 'web/dist/index.html has no inline script (the CSP allows none)');

    const nginxBin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
    if (!nginxBin) throw new Error('nginx is not installed: `apt-get install nginx` (as .ci/run does)');
    const webPort = await freePort();
    const template = fs.readFileSync(path.join(root, 'docker', 'nginx.conf'), 'utf8');
    const apiUpstream = webFile.env.API_UPSTREAM;
    expect(apiUpstream === 'server:4000', `web image defaults API_UPSTREAM to the compose service (${apiUpstream})`);
    // The image's paths and port, moved into the temp dir and a free port; the upstream host made
    // resolvable by pointing it at the server started above.
    const listen = /^\s*listen 8080;$/m;
    const docroot = /^\s*root \/usr\/share\/nginx\/html;$/m;
    expect(listen.test(template) && docroot.test(template), 'docker/nginx.conf listens on 8080 and serves /usr/share/nginx/html');
    // nginx's workers run as nobody: they serve a copy in the temp dir (0755), whatever the
    // permissions of the folder the checkout is in.
    const docrootCopy = path.join(tmp, 'html');
    fs.cpSync(dist, docrootCopy, { recursive: true });
    const rendered = renderTemplate(template, { API_UPSTREAM: `127.0.0.1:${apiPort}` })
      .replace(listen, `  listen 127.0.0.1:${webPort};`)
      .replace(docroot, `  root ${docrootCopy};`);
    fs.writeFileSync(path.join(tmp, 'default.conf'), rendered);
    fs.writeFileSync(
      path.join(tmp, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${tmp}/nginx.pid;
error_log ${tmp}/nginx-error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${tmp}/client_body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  include ${tmp}/default.conf;
}
`,
    );
    const nginxArgs = ['-p', tmp, '-c', path.join(tmp, 'nginx.conf'), '-e', path.join(tmp, 'nginx-error.log')];
    sh(nginxBin, ['-t', ...nginxArgs]);
    expect(true, "`nginx -t` accepts the web image's config");
    const nginx = spawn(nginxBin, nginxArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
    children.push(nginx);
    const webUrl = `http://127.0.0.1:${webPort}`;
    await waitFor('nginx', async () => (await fetch(`${webUrl}/`)).ok, nginx, 30_000);

    // The headers `vite preview` sends (web/security-headers.ts): nginx must send the same.
    const expected = await webSecurityHeaders();
    const csp = (res) => res.headers.get('content-security-policy') ?? '';
    const securityHeaders = (res) => Object.entries(expected).every(([name, value]) => res.headers.get(name) === value);
    expect(
      /(^|; )script-src 'self'(;|$)/.test(expected['Content-Security-Policy']) && expected['Content-Security-Policy'].includes("frame-ancestors 'none'"),
      "web/security-headers.ts allows no inline script and sets frame-ancestors 'none'",
    );
    const home = await fetch(`${webUrl}/`);
    expect(home.status === 200 && (await home.text()).includes('<div id="root">'), 'GET / serves the app');
    expect(securityHeaders(home), `GET / sends the headers of web/security-headers.ts (${Object.keys(expected).join(', ')}): ${csp(home)}`);
    expect(home.headers.get('cache-control') === 'no-cache', 'index.html is revalidated (Cache-Control: no-cache)');
    const deep = await fetch(`${webUrl}/keys/some-key-id`);
    expect(deep.status === 200 && (await deep.text()).includes('<div id="root">') && securityHeaders(deep), 'a deep link serves the app with the same headers');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    const assetRes = await fetch(`${webUrl}${asset}`);
    expect(
      assetRes.status === 200 && /javascript/.test(assetRes.headers.get('content-type') ?? '') && /immutable/.test(assetRes.headers.get('cache-control') ?? '') && securityHeaders(assetRes),
      `${asset} is served as JavaScript, cached as immutable, with the security headers`,
    );
    const missing = await fetch(`${webUrl}/assets/missing-0000.js`);
    expect(missing.status === 404 && !/immutable/.test(missing.headers.get('cache-control') ?? ''), 'a missing asset is a 404, not index.html cached for a year');
    const healthz = await fetch(`${webUrl}/healthz`);
    expect(healthz.status === 200 && securityHeaders(healthz), '/healthz reaches the server through nginx');
    const webHealthPath = new URL(webFile.healthcheck.find((arg) => arg.startsWith('http')) ?? 'http://x/').pathname;
    expect((await fetch(`${webUrl}${webHealthPath}`)).status === 200, `the web image's HEALTHCHECK path (${webHealthPath}) answers 200`);
    const login = await fetch(`${webUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { login(email: "owner@acme.test", password: "pulze-demo") { token } }' }),
    });
    const loginBody = await login.json().catch(() => ({}));
    expect(login.status === 200 && typeof loginBody.data?.login?.token === 'string', 'POST /graphql reaches the server through nginx (login)');

    await browserCheck(webUrl);
  } finally {
    for (const child of children.reverse()) await stop(child);
    const errorLog = path.join(tmp, 'nginx-error.log');
    if (failures && fs.existsSync(errorLog)) console.log(`nginx error log:\n${fs.readFileSync(errorLog, 'utf8')}`);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** `securityHeaders` of web/security-headers.ts, compiled with the workspace's TypeScript. */
async function webSecurityHeaders() {
  const ts = createRequire(path.join(root, 'package.json'))('typescript');
  const source = fs.readFileSync(path.join(root, 'web', 'security-headers.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const { securityHeaders } = await import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
  if (!securityHeaders?.['Content-Security-Policy']) throw new Error('web/security-headers.ts exports no securityHeaders with a Content-Security-Policy');
  return securityHeaders;
}

/** The app in Chromium behind that nginx: sign-in, the keys page and the playground run with no CSP violation. */
async function browserCheck(webUrl) {
  const { chromium } = createRequire(path.join(root, 'web', 'package.json'))('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ baseURL: webUrl });
    page.setDefaultTimeout(20_000);
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const consoleViolations = [];
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) consoleViolations.push(msg.text());
    });
    const violations = async () => [...(await page.evaluate(() => window.__cspViolations)), ...consoleViolations];

    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('owner@acme.test');
    await page.getByLabel('Password').fill('pulze-demo');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    await page.locator('table.keys-table tbody tr').first().waitFor();
    expect(true, 'Chromium signs in through nginx and lists the keys');
    // A dialog and a select: Radix inserts <style> elements for them (scroll lock), which the
    // policy's style-src must allow.
    await page.getByRole('button', { name: '+ New API Key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API Key' });
    await dialog.waitFor();
    await dialog.getByRole('combobox').click();
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(true, 'the new-key dialog and its space select open and close');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Playground' }).click();
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-query-editor .CodeMirror').first().waitFor();
    expect(true, 'the playground loads');
    const seen = await violations();
    expect(seen.length === 0, `no Content-Security-Policy violation on the keys page, a dialog and the playground${seen.length ? `: ${seen.join(' | ')}` : ''}`);

    // The policy is really enforced: an injected inline script does not run and is reported.
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return window.__inlineRan === true;
    });
    const after = await page.evaluate(() => window.__cspViolations);
    expect(!ran && after.some((v) => v.startsWith('script-src')), 'an injected inline script is blocked and reported');
  } finally {
    await browser.close();
  }
}

const [command, arg] = process.argv.slice(2);
const commands = { 'server-bundle': () => serverBundle(arg), 'web-bundle': webBundle, check };
if (!commands[command]) {
  console.error('usage: node scripts/images.mjs server-bundle <dir> | web-bundle | check');
  process.exit(2);
}
try {
  await commands[command]();
} catch (error) {
  console.error(`images ${command}: ${error.message}`);
  process.exit(1);
}
if (failures) {
  console.error(`images ${command}: ${failures} check(s) failed`);
  process.exit(1);
}
