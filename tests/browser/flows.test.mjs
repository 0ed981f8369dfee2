// What a resident and a moderator do, in a browser without JavaScript: tell a story on a phone-sized
// page, get a receipt code, look the story up, and see it appear on the site once it is published.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, eventually } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

test('a resident tells a story without JavaScript and it appears after moderation', async () => {
  const phone = await newPage(shared.browser, { width: 360, javaScript: false });
  await phone.goto(`${shared.server.base}/vertel`);
  await phone.getByLabel('Uw verhaal', { exact: true }).fill('Elke donderdag breien we samen in de dorpskamer. Sinds ik meedoe met de breiclub ben ik minder alleen.');
  await phone.getByLabel('Goed', { exact: true }).check();
  await phone.getByLabel('Mensen leren kennen, minder alleen zijn').check();
  await phone.getByLabel('Mijn verhaal mag openbaar zijn').check();
  await phone.getByRole('button', { name: 'Verhaal versturen' }).click();
  await phone.waitForSelector('.receipt .code');
  const code = (await phone.textContent('.receipt .code')).trim();
  assert.match(code, /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);

  await phone.goto(`${shared.server.base}/mijn-verhaal`);
  await phone.getByLabel('Uw code').fill(code.toLowerCase().replaceAll('-', ' '));
  await phone.getByRole('button', { name: 'Opzoeken' }).click();
  assert.match(await phone.textContent('.found'), /Uw verhaal is ontvangen/);
  await phone.context().close();

  const desk = await newPage(shared.browser, { javaScript: false, login: { base: shared.server.base, name: 'analist' } });
  await desk.goto(`${shared.server.base}/moderatie`);
  await desk.getByRole('link', { name: /Elke donderdag breien we/ }).click();
  await desk.getByLabel('Publiceren', { exact: true }).check();
  await desk.getByRole('button', { name: 'Opslaan' }).click();
  assert.match(await desk.textContent('.notice'), /Opgeslagen/);
  await desk.context().close();

  // Published, anyone finds it.
  const visitor = await newPage(shared.browser, { javaScript: false });
  await eventually(async () => {
    await visitor.goto(`${shared.server.base}/zoeken?q=breiclub`);
    return (await visitor.textContent('#resultaten')).includes('1 verhaal gevonden');
  });
  await visitor.getByRole('link', { name: /Elke donderdag breien we/ }).click();
  assert.match(await visitor.textContent('.story-text'), /breiclub/);
  await visitor.context().close();
});

test('the form shows what is missing, next to the field and at the top', async () => {
  const page = await newPage(shared.browser, { javaScript: false });
  await page.goto(`${shared.server.base}/vertel`);
  await page.getByLabel('Uw verhaal', { exact: true }).fill('Te kort.');
  await page.getByRole('button', { name: 'Verhaal versturen' }).click();
  assert.match(await page.textContent('.error-summary'), /Kies hoe het voor u was/);
  assert.equal(await page.getAttribute('#verhaal', 'aria-invalid'), 'true');
  assert.equal(await page.inputValue('#verhaal'), 'Te kort.');
  await page.context().close();
});
