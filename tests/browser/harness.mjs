// Shared by the browser tests: start the real Verhalenbank server on a fresh data folder with the demo
// municipality, drive Debian's Chromium with playwright-core, and check pages with axe-core.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The server binary: release if built, else debug. */
export function binary() {
  for (const profile of ['release', 'debug']) {
    const path = join(root, 'target', profile, 'verhalenbank');
    if (existsSync(path)) return path;
  }
  throw new Error('build verhalenbank first: cargo build --release');
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs `verhalenbank --data-dir DATA args...` to its end, with `input` on standard input; resolves
 *  with what it printed, rejects when it fails. */
export function runCli(data, args, input = '') {
  return new Promise((resolve, reject) => {
    const child = spawn(binary(), ['--data-dir', data, ...args], { env: { ...process.env, RUST_LOG: 'warn' } });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`verhalenbank ${args.join(' ')}: ${output}`))));
    child.stdin.end(input);
  });
}

/** Starts a server with the demo loaded (or on `data`, a folder prepared beforehand); resolves once it
 *  answers. */
export async function startServer({ data: prepared } = {}) {
  const data = prepared ?? mkdtempSync(join(tmpdir(), 'verhalenbank-browser-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const sample = prepared ? ['--no-demo'] : ['--sample', join(root, 'stories-sample')];
  const child = spawn(binary(), ['--data-dir', data, 'serve', '--bind', `127.0.0.1:${port}`, ...sample], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      const response = await fetch(base + '/');
      if (response.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** The password of the demo's accounts (see README). */
export const DEMO_PASSWORD = 'demo-verhalenbank';

/** Logs in to the server at `base` with a demo account; returns the login cookie as `name=value`. */
export async function loginCookie(base, name) {
  const body = new URLSearchParams({ naam: name, wachtwoord: DEMO_PASSWORD });
  const response = await fetch(`${base}/inloggen`, { method: 'POST', body, redirect: 'manual' });
  if (response.status !== 303) throw new Error(`logging in as ${name}: ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

/** An API token for `provider`, made on the administrator's page as an administrator would. */
export async function apiToken(base, provider) {
  const cookie = await loginCookie(base, 'beheerder');
  const body = new URLSearchParams({ aanbieder: provider, omschrijving: 'browsertest' });
  const page = await (await fetch(`${base}/beheer/tokens`, { method: 'POST', body, headers: { cookie } })).text();
  const token = page.match(/vbk_[a-z2-9]{32}/);
  if (!token) throw new Error(`no token made for ${provider}`);
  return token[0];
}

/** A new page in Dutch, at the given width, optionally without JavaScript, optionally logged in with a
 *  demo account (`login: { base, name }`). */
export async function newPage(browser, { width = 1280, javaScript = true, login } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'nl-NL', javaScriptEnabled: javaScript });
  if (login) {
    const [cookieName, value] = (await loginCookie(login.base, login.name)).split('=');
    await context.addCookies([{ name: cookieName, value, url: login.base }]);
  }
  return context.newPage();
}

/** The WCAG 2.1 A and AA violations axe-core finds on the page, as readable lines. */
export async function accessibilityViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}`);
}

/** The axe violations of the page at `url`, checked in a page with JavaScript (axe runs as a script), for
 *  flows that are otherwise walked without it. */
export async function accessibilityViolationsAt(browser, url, { width = 1280, login } = {}) {
  const page = await newPage(browser, { width, login });
  try {
    await page.goto(url);
    return await accessibilityViolations(page);
  } finally {
    await page.context().close();
  }
}

/** Whether the page is wider than its viewport (content that needs sideways scrolling). */
export async function overflowsHorizontally(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Polls `check` until it returns true: for work the server does in the background, such as indexing. */
export async function eventually(check, { timeout = 5000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Starts a server and a browser before the tests of a file and stops them after; the returned object
 *  holds `server` and `browser` once the tests run. */
export function withServerAndBrowser(before, after, afterEach) {
  const shared = {};
  let failed = false;
  before(async () => {
    shared.server = await startServer();
    shared.browser = await launchBrowser();
  });
  afterEach?.((t) => { if (!t.passed) failed = true; });
  after(async () => {
    // The server's own log (warnings and errors only) says why a page failed, when one did.
    if (failed) console.error(`--- server log ---\n${shared.server?.output() ?? ''}\n--- end of server log ---`);
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}

/** The number of pages in a PDF, counted from its page objects. */
export function pdfPages(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

/** The page sizes of a PDF in points, from its media boxes. */
export function pdfPageSizes(pdf) {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)]
    .map((m) => [Number(m[1]), Number(m[2])]);
}
