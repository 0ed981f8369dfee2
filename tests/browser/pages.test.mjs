// Every main page: no WCAG 2.1 AA violations found by axe-core, and usable at 360 px without
// sideways scrolling.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, overflowsHorizontally } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

async function storyPath() {
  const results = await (await fetch(`${shared.server.base}/api/v1/stories?q=koffie`)).json();
  return `/verhaal/${results.hits[0].story.id}`;
}

const pages = async () => [
  '/',
  '/?gebied=noord&periode=2025',
  '/indicator/wachttijd-schuldhulp',
  '/indicator/bezoekers-koffie-inloop?gebied=centrum&q=koffie',
  await storyPath(),
  '/zoeken?q=buurt&valence=negative',
  '/zoeken?q=eenzaam',
  '/zoeken/synoniemen',
  '/patronen',
  '/patronen?round=minder-alleen-2025&vraag=wie-hielp&groep=teller&rij=wie-hielp&kolom=gevoel',
  '/vragen',
  '/vertel',
  '/mijn-verhaal',
  '/aanbieder/verhaal',
  '/moderatie',
  (await storyPath()).replace('/verhaal/', '/moderatie/'),
  '/sessies',
  '/sessies/nieuw',
  '/sessies/noord-2026-03',
  '/sessies/noord-2026-03/bord',
  '/sessies/noord-2026-03/verslag',
  '/sessies/zuid-2026-12',
  '/s/nrd26m',
  '/s/zd26dc',
  '/acties',
  '/acties?gebied=noord',
  '/rondes',
  '/rondes/minder-alleen-2025?subdoel=sterker-netwerk&tag=koffie-inloop',
  '/rondes/minder-alleen-2025/verzamelen',
  '/rondes/minder-alleen-2025/thema/1',
  '/r/mnd25r',
  '/doelenboom',
  '/verantwoording?jaar=2025&gebied=noord&doel=meedoen',
  '/doelenboom/doel/meedoen',
  '/doelenboom/subdoel/sterker-netwerk',
  '/doelenboom/indicator/bezoekers-koffie-inloop',
  '/doelenboom/stelling/minder-alleen',
  '/doelenboom/nieuw/indicator?onder=sterker-netwerk',
  '/indicator/bezoekers-koffie-inloop/duiding',
  '/inloggen',
  '/bestaat-niet',
];

for (const width of [1280, 360]) {
  test(`main pages have no accessibility violations at ${width} px`, async () => {
    // Logged in as the analyst, who reaches every page; the public pages look the same apart from the menu.
    const page = await newPage(shared.browser, { width, login: { base: shared.server.base, name: 'analist' } });
    const problems = [];
    for (const path of await pages()) {
      await page.goto(shared.server.base + path);
      const violations = await accessibilityViolations(page);
      if (violations.length) problems.push(`${path}:\n  ${violations.join('\n  ')}`);
      if (await overflowsHorizontally(page)) problems.push(`${path}: wider than ${width} px`);
    }
    await page.context().close();
    assert.deepEqual(problems, []);
  });
}

test('the English pages are in English and pass too', async () => {
  const page = await newPage(shared.browser);
  await page.goto(`${shared.server.base}/`);
  await page.getByRole('link', { name: 'English' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('h1'), /Goals and results/);
  await page.goto(`${shared.server.base}/indicator/wachttijd-schuldhulp`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.context().close();
});

test('a visitor without an account sees the public menu and the login page passes', async () => {
  const page = await newPage(shared.browser, { width: 360 });
  await page.goto(`${shared.server.base}/inloggen`);
  assert.equal(await page.locator('a[href="/moderatie"]').count(), 0);
  assert.deepEqual(await accessibilityViolations(page), []);
  assert.equal(await overflowsHorizontally(page), false);
  await page.context().close();
});

test('the skip link moves focus to the content', async () => {
  const page = await newPage(shared.browser);
  await page.goto(`${shared.server.base}/zoeken`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.textContent);
  assert.match(focused, /Ga direct naar de inhoud/);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => location.hash), '#inhoud');
  await page.context().close();
});

test('the administrator pages pass at 1280 and 360 px, with a token made and the audit log filled', async () => {
  for (const width of [1280, 360]) {
    const page = await newPage(shared.browser, { width, login: { base: shared.server.base, name: 'beheerder' } });
    await page.goto(`${shared.server.base}/beheer`);
    await page.getByLabel('Aanbieder', { exact: true }).selectOption({ index: 1 });
    await page.getByLabel(/Waarvoor/).fill('Registratiesysteem');
    await page.getByRole('button', { name: 'Sleutel maken' }).click();
    assert.match(await page.textContent('.new-token'), /^vbk_[a-z2-9]{32}$/);
    const problems = [];
    for (const path of ['/beheer', '/wachtwoord', '/beheer/accounts', '/beheer/accounts/buurtwerk']) {
      if (path !== '/beheer') await page.goto(shared.server.base + path);
      const violations = await accessibilityViolations(page);
      if (violations.length) problems.push(`${path}:\n  ${violations.join('\n  ')}`);
      if (await overflowsHorizontally(page)) problems.push(`${path}: wider than ${width} px`);
    }
    // An account added shows its password once, and the page with it passes too.
    await page.goto(`${shared.server.base}/beheer/accounts`);
    await page.getByLabel('Inlognaam').fill(`nieuw${width}`);
    await page.getByLabel('Rol', { exact: true }).selectOption('facilitator');
    await page.getByRole('button', { name: 'Account toevoegen' }).click();
    assert.match(await page.textContent('.new-password'), /^([a-z2-9]{4}-){4}[a-z2-9]{4}$/);
    const added = await accessibilityViolations(page);
    if (added.length) problems.push(`account added:\n  ${added.join('\n  ')}`);
    if (await overflowsHorizontally(page)) problems.push(`account added: wider than ${width} px`);
    await page.goto(`${shared.server.base}/beheer`);
    assert.match(await page.textContent('.audit-log'), /API-sleutel gemaakt/);
    assert.match(await page.textContent('.audit-log'), /Account toegevoegd/);
    await page.context().close();
    assert.deepEqual(problems, []);
  }
});
