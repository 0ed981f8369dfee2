// The XSS corpus (xss-payloads.mjs, over 1,000 payloads) goes in through every door: the JSON API, the
// provider form, the public form and a bulk import, in every field that is shown (title, text, tags,
// teller name, area names, provider and activity names, goal, subgoal, indicator and statement titles).
// Then Chromium renders every page that shows them, and no payload may run: no dialog, no console
// marker, no request to the marker host, no global flag, and no Content-Security-Policy report (which
// would mean markup got through escaping and only the policy stopped it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, runCli, root, DEMO_PASSWORD } from './harness.mjs';
import { payloads, MARKER_HOST, CONSOLE_MARKER } from './xss-payloads.mjs';

const PAYLOADS = payloads();
const CANARY = 'xsskanarie';
const shared = {};

/** A TOML basic string holding `text`. */
const toml = (text) => JSON.stringify(text).replaceAll('\\u2028', '\\u2028');

/** A CSV cell (semicolon separated) holding `text`. */
const cell = (text) => `"${text.replaceAll('"', '""')}"`;

/** The demo with every name and title replaced by a payload, and 1,000 hostile stories in a CSV. */
function hostileFolder(dir) {
  cpSync(join(root, 'stories-sample'), dir, { recursive: true });
  let n = 0;
  const next = () => PAYLOADS[n++ % PAYLOADS.length];
  for (const [file, keys] of [['municipality.toml', ['name']], ['goals.toml', ['name', 'title', 'text']]]) {
    const path = join(dir, file);
    const lines = readFileSync(path, 'utf8').split('\n').map((line) => {
      const match = line.match(/^(\w+) = "/);
      return match && keys.includes(match[1]) ? `${match[1]} = ${toml(next())}` : line;
    });
    writeFileSync(path, lines.join('\n'));
  }
  const rows = ['title;date;teller;valence;consent;area;tags;name;text'];
  PAYLOADS.forEach((payload, i) => {
    rows.push([payload, '2025-05-01', 'resident', 'mixed', 'public', 'molenwijk', payload, payload,
      `${CANARY} import ${i}\n\n${payload}`].map(cell).join(';'));
  });
  writeFileSync(join(dir, 'hostile-stories.csv'), rows.join('\n') + '\n');
}

/** Runs `work` over `items` with `width` at a time. */
async function pool(items, width, work) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  }));
}

/** A form post from the loopback address `local` (the public forms are rate limited per address). */
function postFrom(local, url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST', localAddress: local,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function login(base, name) {
  const response = await fetch(`${base}/inloggen`, {
    method: 'POST', redirect: 'manual', body: new URLSearchParams({ naam: name, wachtwoord: DEMO_PASSWORD }),
  });
  assert.equal(response.status, 303, `logging in as ${name}`);
  return response.headers.get('set-cookie').split(';')[0];
}

before(async () => {
  const work = mkdtempSync(join(tmpdir(), 'verhalenbank-xss-'));
  const folder = join(work, 'in');
  mkdirSync(folder);
  hostileFolder(folder);
  const data = join(work, 'data');
  const imported = await runCli(data, ['import', folder]);
  assert.match(imported, new RegExp(`imported ${PAYLOADS.length + 99} stories`), imported);
  for (const [name, role, provider] of [['analist', 'analyst'], ['buurtwerk', 'provider', 'buurtwerk']]) {
    await runCli(data, ['user', 'add', name, '--role', role, ...(provider ? ['--provider', provider] : []), '--password-stdin'], `${DEMO_PASSWORD}\n`);
  }
  const token = (await runCli(data, ['token', 'add', '--provider', 'buurtwerk'])).match(/vbk_[a-z2-9]{32}/)[0];
  shared.work = work;
  shared.server = await startServer({ data });
  shared.browser = await launchBrowser();
  shared.token = token;
});

after(async () => {
  await shared.browser?.close();
  await shared.server?.stop();
  rmSync(shared.work, { recursive: true, force: true });
});

test('over a thousand payloads through every door never run on any page', { timeout: 30 * 60_000 }, async () => {
  assert.ok(PAYLOADS.length >= 1000, `${PAYLOADS.length} payloads`);
  const base = shared.server.base;

  // The JSON API.
  const apiIds = [];
  await pool(PAYLOADS.map((payload, i) => [payload, i]), 8, async ([payload, i]) => {
    const response = await fetch(`${base}/api/v1/stories`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${shared.token}` },
      body: JSON.stringify({
        title: payload, teller: 'resident', valence: 'mixed', consent: 'public', area: 'molenwijk',
        tags: [payload], name: payload, text: `${CANARY} api ${i}\n\n${payload}`,
      }),
    });
    assert.equal(response.status, 201, `API story ${i}: ${await response.clone().text()}`);
    apiIds.push((await response.json()).id);
  });

  // The provider form, logged in as provider staff.
  const provider = await login(base, 'buurtwerk');
  await pool(PAYLOADS.map((payload, i) => [payload, i]), 8, async ([payload, i]) => {
    const body = new URLSearchParams({
      titel: payload, verhaal: `${CANARY} aanbieder ${i}\n\n${payload}`, rol: 'professional', gevoel: 'mixed',
      toestemming: 'internal', gebied: 'molenwijk', tags: payload.replaceAll(',', ' '), naam: payload,
    });
    const response = await fetch(`${base}/aanbieder/verhaal`, { method: 'POST', body, headers: { cookie: provider } });
    assert.equal(response.status, 200, `provider form ${i}`);
    assert.match(await response.text(), /[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/, `provider form ${i} acknowledged`);
  });

  // The public form, from many loopback addresses so its rate limit (10 per address) lets all through.
  const codes = [];
  await pool(PAYLOADS.map((payload, i) => [payload, i]), 8, async ([payload, i]) => {
    const local = `127.0.${1 + Math.floor(i / 250)}.${2 + Math.floor((i % 250) / 9)}`;
    const body = new URLSearchParams({
      titel: payload, verhaal: `${CANARY} bewoner ${i}\n\n${payload}`, gevoel: 'mixed', toestemming: 'public', naam: payload,
    }).toString();
    const { status, text } = await postFrom(local, `${base}/vertel`, body);
    assert.equal(status, 200, `public form ${i} from ${local}`);
    const code = text.match(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    assert.ok(code, `public form ${i} acknowledged`);
    codes.push(code[0]);
  });

  // Every hostile story's id, from the search pages an analyst sees (the index catches up in the
  // background, so until all four doors' stories are found).
  const analyst = await login(base, 'analist');
  const ids = new Set();
  let searchPages = 0;
  const deadline = Date.now() + 60_000;
  while (ids.size < 4 * PAYLOADS.length && Date.now() < deadline) {
    ids.clear();
    for (let page = 1; ; page += 1) {
      const html = await fetch(`${base}/zoeken?q=${CANARY}&pagina=${page}`, { headers: { cookie: analyst } }).then((r) => r.text());
      const found = [...html.matchAll(/href="\/verhaal\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
      const before = ids.size;
      for (const id of found) ids.add(id);
      if (ids.size === before) { searchPages = page - 1; break; }
    }
  }
  assert.ok(ids.size >= 4 * PAYLOADS.length, `found ${ids.size} hostile stories`);

  const indicators = (await fetch(`${base}/api/v1/goals`).then((r) => r.json())).indicators.map((i) => i.id);
  const sessions = [...new Set([...readFileSync(join(root, 'stories-sample', 'sessions.toml'), 'utf8').matchAll(/^id = "([^"]+)"/gm)].map((m) => m[1]))];
  const paths = [
    '/', '/zoeken', `/zoeken?q=${CANARY}`, '/moderatie', '/moderatie?status=submitted', '/doelenboom', '/zoeken/synoniemen', '/verantwoording',
    '/acties', '/sessies', '/rondes', '/vertel', '/mijn-verhaal',
    ...indicators.map((id) => `/indicator/${id}`),
    ...sessions.map((id) => `/sessies/${id}`),
    ...Array.from({ length: searchPages }, (_, n) => `/zoeken?q=${CANARY}&pagina=${n + 1}`),
    ...[...ids].map((id) => `/verhaal/${id}`),
    ...apiIds.map((id) => `/moderatie/${id}`),
  ];

  const context = await shared.browser.newContext({ locale: 'nl-NL' });
  await context.addCookies([{ name: analyst.split('=')[0], value: analyst.split('=').slice(1).join('='), url: base }]);
  const ran = [];
  const watch = (page, where) => {
    page.on('dialog', async (dialog) => { ran.push(`${where()}: dialog ${dialog.message()}`); await dialog.dismiss(); });
    page.on('console', (message) => {
      const text = message.text();
      if (text.includes(CONSOLE_MARKER) || /Content Security Policy/i.test(text)) ran.push(`${where()}: console ${text}`);
    });
    page.on('request', (request) => {
      if (request.url().includes(MARKER_HOST)) ran.push(`${where()}: request ${request.url()}`);
    });
  };
  const pages = await Promise.all(Array.from({ length: 4 }, async () => {
    const page = await context.newPage();
    const state = { path: '' };
    watch(page, () => state.path);
    return { page, state };
  }));
  // The watchers do see a payload that runs: a control page without the site's escaping or policy.
  pages[0].state.path = 'control';
  await pages[0].page.setContent(`<img src=x onerror="alert(1)"><img src="http://${MARKER_HOST}/c.png">`);
  await pages[0].page.waitForTimeout(500);
  assert.ok(ran.some((r) => r.includes('dialog')) && ran.some((r) => r.includes('request')), `the watchers fire: ${ran}`);
  ran.length = 0;

  let visited = 0;
  const queue = [...paths];
  await Promise.all(pages.map(async ({ page, state }) => {
    while (queue.length > 0) {
      state.path = queue.shift();
      const response = await page.goto(base + state.path, { waitUntil: 'load' });
      assert.ok(response.status() < 500, `${state.path}: ${response.status()}`);
      if (await page.evaluate(() => window.__xss !== undefined)) ran.push(`${state.path}: flag`);
      visited += 1;
    }
  }));

  // A resident looks up their story by its code: the lookup page shows their title and text.
  const { page, state } = pages[0];
  for (const code of codes.slice(0, 5)) {
    state.path = `/mijn-verhaal (${code})`;
    await page.goto(`${base}/mijn-verhaal`);
    await page.getByLabel('Uw code').fill(code);
    await page.getByRole('button', { name: 'Opzoeken' }).click();
    await page.waitForLoadState('load');
    assert.match(await page.textContent('main'), new RegExp(CANARY));
    if (await page.evaluate(() => window.__xss !== undefined)) ran.push(`${state.path}: flag`);
  }
  await context.close();

  console.log(`${PAYLOADS.length} payloads, ${ids.size} hostile stories, ${visited} pages rendered, ${ran.length} ran`);
  assert.ok(visited >= paths.length, `${visited} pages`);
  assert.deepEqual(ran, [], `payloads ran:\n${ran.slice(0, 20).join('\n')}`);
});
