// Every page a visitor can reach without logging in, and the main staff pages as the demo analyst, is
// valid HTML by the Nu Html Checker (vnu-jar, run on Java 17 or later): any error fails, warnings do not.
// The pages are fetched from the real server as a browser gets them and checked in one run of the checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, loginCookie } from './harness.mjs';

const vnu = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

/** The page at `path` as text, with its status; `cookie` logs in, `language` asks for another one. */
async function fetchPage(path, { cookie, language } = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  if (language) headers['accept-language'] = language;
  const response = await fetch(server.base + path, { headers, redirect: 'manual' });
  return { status: response.status, html: await response.text() };
}

/** The first link on the page at `path` whose address starts with `prefix`. */
async function firstLink(path, prefix, options) {
  const { html } = await fetchPage(path, options);
  const found = html.match(new RegExp(`href="(${prefix}[^"?#]+)"`));
  assert.ok(found, `a link to ${prefix} on ${path}`);
  return found[1];
}

/** Runs the checker on `pages` ({ name, html }); returns its errors as readable lines. */
function validate(pages) {
  const dir = mkdtempSync(join(tmpdir(), 'verhalenbank-vnu-'));
  try {
    const files = pages.map((page, n) => {
      const file = join(dir, `${String(n).padStart(2, '0')}.html`);
      writeFileSync(file, page.html);
      return file;
    });
    const run = spawnSync('java', ['-jar', vnu, '--format', 'json', '--stdout', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.ok(run.stdout, `the checker ran: ${run.error ?? run.stderr}`);
    const { messages } = JSON.parse(run.stdout);
    return messages
      .filter((m) => m.type === 'error' || m.type === 'non-document-error')
      .map((m) => {
        const page = pages[files.findIndex((file) => m.url?.endsWith(file))]?.name ?? m.url;
        return `${page}:${m.lastLine ?? '?'}: ${m.message} [${(m.extract ?? '').trim()}]`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('public and staff pages are valid HTML by the Nu Html Checker', async () => {
  const analyst = { cookie: await loginCookie(server.base, 'analist') };
  const story = await firstLink('/zoeken?q=koffie', '/verhaal/');
  const wanted = [
    // Without logging in.
    ['/', {}],
    ['/?gebied=noord&periode=2025', {}],
    ['/?gebied=bestaat-niet', {}],
    ['/', { language: 'en' }],
    ['/indicator/bezoekers-koffie-inloop', {}],
    ['/indicator/bezoekers-koffie-inloop?gebied=noord&q=koffie', {}],
    ['/indicator/wachttijd-schuldhulp', {}],
    ['/zoeken', {}],
    ['/zoeken?q=buurt&valence=negative', {}],
    ['/patronen', {}],
    ['/patronen?vraag=gevoel&groep=provider', {}],
    [story, {}],
    ['/vertel', {}],
    ['/mijn-verhaal', {}],
    ['/s/nrd26m', {}],
    ['/s/zd26dc', {}],
    ['/r/mnd25r', {}],
    ['/acties', {}],
    ['/verantwoording?jaar=2025', {}],
    ['/inloggen', {}],
    ['/bestaat-niet', {}],
    // As the demo analyst.
    ['/', analyst],
    ['/aanbieder/verhaal', analyst],
    ['/moderatie', analyst],
    [story.replace('/verhaal/', '/moderatie/'), analyst],
    ['/sessies', analyst],
    ['/sessies/nieuw', analyst],
    ['/sessies/noord-2026-03', analyst],
    ['/sessies/noord-2026-03/bord', analyst],
    ['/sessies/noord-2026-03/verslag', analyst],
    ['/sessies/zuid-2026-12', analyst],
    ['/rondes', analyst],
    ['/rondes/minder-alleen-2025', analyst],
    ['/rondes/minder-alleen-2025?subdoel=sterker-netwerk&tag=koffie-inloop', analyst],
    ['/rondes/minder-alleen-2025/verzamelen', analyst],
    ['/rondes/minder-alleen-2025/thema/1', analyst],
    ['/rondes/minder-alleen-2025/thema/overig', analyst],
    ['/doelenboom', analyst],
    ['/zoeken?q=eenzaam', analyst],
    ['/zoeken/synoniemen', analyst],
    ['/vragen', analyst],
    ['/patronen?round=minder-alleen-2025&groep=valence', analyst],
    ['/doelenboom/indicator/bezoekers-koffie-inloop', analyst],
    ['/doelenboom/nieuw/indicator?onder=sterker-netwerk', analyst],
    ['/indicator/bezoekers-koffie-inloop/duiding', analyst],
    ['/wachtwoord', analyst],
  ];
  const pages = [];
  for (const [path, options] of wanted) {
    const { status, html } = await fetchPage(path, options);
    const name = `${path}${options.cookie ? ' (analist)' : ''}${options.language ? ` (${options.language})` : ''}`;
    assert.ok([200, 400, 404].includes(status), `${name} answers: ${status}`);
    assert.match(html, /^<!doctype html>/i, `${name} is a page`);
    pages.push({ name, html });
  }
  assert.deepEqual(validate(pages), []);
});
