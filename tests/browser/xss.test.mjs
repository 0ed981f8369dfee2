// Hostile text in a story stays text: script in the title, the text, tags and links is shown, never run.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, eventually, loginCookie, apiToken } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"></svg>',
  '[klik](javascript:window.__xss=4)',
  '"><script>window.__xss = 5</script>',
  "'; window.__xss = 6; '",
];

async function publish(id) {
  const cookie = await loginCookie(shared.server.base, 'analist');
  // The form carries the version the moderator saw, so a save never overwrites a change made meanwhile.
  const desk = await fetch(`${shared.server.base}/moderatie/${id}`, { headers: { cookie } }).then((r) => r.text());
  const version = desk.match(/name="versie" value="(\d+)"/);
  assert.ok(version, 'the moderation form carries the story version');
  const form = new URLSearchParams({
    versie: version[1],
    titel: `Aanval <script>window.__xss = 7</script>`,
    verhaal: `Gewone zin over xsskanarie. ${PAYLOADS.join(' ')}`,
    rol: 'resident', gevoel: 'mixed', toestemming: 'public', tags: '<b>tag</b>, "><script>window.__xss=8</script>',
    besluit: 'publish',
  });
  const response = await fetch(`${shared.server.base}/moderatie/${id}`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie } });
  assert.equal(response.status, 303);
}

test('script in a story never runs on any page that shows it', async () => {
  const created = await fetch(`${shared.server.base}/api/v1/stories`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await apiToken(shared.server.base, 'buurtwerk')}` },
    body: JSON.stringify({ title: 'x', teller: 'resident', valence: 'mixed', consent: 'public', text: PAYLOADS.join('\n\n') }),
  }).then((r) => r.json());
  await publish(created.id);

  const page = await newPage(shared.browser, { login: { base: shared.server.base, name: 'analist' } });
  let dialogs = 0;
  page.on('dialog', async (dialog) => { dialogs += 1; await dialog.dismiss(); });
  await eventually(async () => {
    await page.goto(`${shared.server.base}/zoeken?q=xsskanarie`);
    return (await page.textContent('#resultaten')).includes('1 verhaal gevonden');
  });
  for (const path of [`/verhaal/${created.id}`, '/zoeken?q=xsskanarie', `/moderatie/${created.id}`, '/moderatie?status=published']) {
    await page.goto(shared.server.base + path);
    assert.equal(await page.evaluate(() => window.__xss), undefined, path);
  }
  await page.goto(`${shared.server.base}/verhaal/${created.id}`);
  assert.match(await page.textContent('h1'), /<script>/, 'the title is shown as text');
  assert.equal(dialogs, 0);
  await page.context().close();
});
