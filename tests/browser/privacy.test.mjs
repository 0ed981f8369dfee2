// A resident's rights over their story, in Chromium on a phone-sized page: change the consent with
// the receipt code, and withdraw the story, which erases it (the integration tests prove that no file
// keeps its words). Without JavaScript, and checked with axe-core (which needs JavaScript) on the way.
// A file of its own, so its form posts have a fresh rate limit (10 posts per address, then one per
// 6 s): the first test makes 7, so the second runs on a server of its own instead of hoping that
// enough seconds have passed.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, overflowsHorizontally, startServer } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

test('a resident changes consent and withdraws the story with the code, on a phone', async () => {
  const phone = await newPage(shared.browser, { width: 360, javaScript: false });
  await phone.goto(`${shared.server.base}/vertel`);
  await phone.getByLabel('Uw verhaal', { exact: true }).fill('Bij de Vlinderzwaluwclub leerde ik de buren kennen. Toch wil ik dit later misschien niet meer delen.');
  await phone.getByLabel('Een beetje allebei', { exact: true }).check();
  await phone.getByLabel('Mijn verhaal mag openbaar zijn').check();
  await phone.getByRole('button', { name: 'Verhaal versturen' }).click();
  await phone.waitForSelector('.receipt .code');
  const code = (await phone.textContent('.receipt .code')).trim();

  // Without JavaScript: change the consent, and try to withdraw without ticking the box.
  await phone.goto(`${shared.server.base}/mijn-verhaal`);
  await phone.getByLabel('Uw code').fill(code);
  await phone.getByRole('button', { name: 'Opzoeken' }).click();
  await phone.getByLabel('Alleen voor de gemeente en de organisaties die helpen').check();
  await phone.getByRole('button', { name: 'Toestemming opslaan' }).click();
  assert.match(await phone.textContent('.notice'), /Uw keuze is opgeslagen/);
  assert.equal(await phone.isChecked('#toestemming-internal'), true);
  await phone.getByRole('button', { name: 'Verhaal intrekken en wissen' }).click();
  assert.match(await phone.textContent('.withdraw'), /Zet eerst een vinkje/);
  await phone.getByLabel('Ja, wis mijn verhaal voor altijd').check();
  await phone.getByRole('button', { name: 'Verhaal intrekken en wissen' }).click();
  assert.match(await phone.textContent('h1'), /Uw verhaal is gewist/, await phone.textContent('main'));
  await phone.context().close();

  // The code finds nothing any more (checked with axe-core, which needs JavaScript to run).
  const again = await newPage(shared.browser, { width: 360 });
  await again.goto(`${shared.server.base}/mijn-verhaal`);
  await again.getByLabel('Uw code').fill(code);
  await again.getByRole('button', { name: 'Opzoeken' }).click();
  assert.match(await again.textContent('main'), /Wij vinden geen verhaal bij deze code/);
  assert.deepEqual(await accessibilityViolations(again), []);
  await again.context().close();

  const desk = await newPage(shared.browser, { javaScript: false, login: { base: shared.server.base, name: 'analist' } });
  await desk.goto(`${shared.server.base}/zoeken?q=vlinderzwaluwclub`);
  assert.match(await desk.textContent('#resultaten'), /0 verhalen gevonden/);
  await desk.context().close();
});

test('the pages to change consent and withdraw pass axe-core at 360 px', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const phone = await newPage(shared.browser, { width: 360 });
  await phone.goto(`${server.base}/vertel`);
  await phone.getByLabel('Uw verhaal', { exact: true }).fill('Op de markt vond ik eindelijk iemand die mij hielp met de formulieren van de gemeente.');
  await phone.getByLabel('Goed', { exact: true }).check();
  await phone.getByLabel('Mijn verhaal mag openbaar zijn').check();
  await phone.getByRole('button', { name: 'Verhaal versturen' }).click();
  const code = (await phone.textContent('.receipt .code')).trim();
  await phone.goto(`${server.base}/mijn-verhaal`);
  await phone.getByLabel('Uw code').fill(code);
  await phone.getByRole('button', { name: 'Opzoeken' }).click();
  const problems = [];
  const check = async (what) => {
    const violations = await accessibilityViolations(phone);
    if (violations.length) problems.push(`${what}:\n  ${violations.join('\n  ')}`);
    if (await overflowsHorizontally(phone)) problems.push(`${what}: wider than 360 px`);
  };
  await check('the story found by its code');
  await phone.getByRole('button', { name: 'Verhaal intrekken en wissen' }).click();
  await check('the missing tick');
  await phone.screenshot({ path: '/tmp/verhalenbank-withdraw.png', fullPage: true }).catch(() => {});
  await phone.getByLabel('Ja, wis mijn verhaal voor altijd').check();
  await phone.getByRole('button', { name: 'Verhaal intrekken en wissen' }).click();
  assert.match(await phone.textContent('h1'), /Uw verhaal is gewist/, await phone.textContent('main'));
  await check('the erased page');
  await phone.context().close();
  assert.deepEqual(problems, []);
});
