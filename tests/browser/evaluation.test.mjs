// Narrative evaluation and accountability walked through in the browser, without JavaScript: an analyst
// runs an evaluation round from question to feedback, a participant reads the feedback on a phone, the
// goal tree is edited, and the yearly report prints on A4 with a page per goal.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolationsAt, pdfPages, pdfPageSizes } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

test('an analyst runs an evaluation round from question to feedback', async () => {
  const base = shared.server.base;
  const login = { base, name: 'analist' };
  const desk = await newPage(shared.browser, { javaScript: false, login });
  await desk.goto(`${base}/rondes`);
  await desk.getByLabel('Naam van de ronde').fill('Meedoen in de buurt');
  await desk.getByLabel('Vraag of thema').fill('Wat helpt u om mee te doen in uw buurt?');
  await desk.getByLabel('Van', { exact: true }).fill('2023-01-01');
  await desk.getByLabel('Tot en met').fill('2026-11-23');
  await desk.getByLabel('Inwoners hebben een sterker sociaal netwerk', { exact: true }).check();
  await desk.getByRole('button', { name: 'Ronde beginnen' }).click();
  assert.equal(await desk.textContent('h1'), 'Meedoen in de buurt');
  const roundPath = new URL(desk.url()).pathname;
  assert.deepEqual(await accessibilityViolationsAt(shared.browser, `${base}${roundPath}`, { login }), []);

  // Waarderen: gather three stories from the bank.
  await desk.getByRole('link', { name: 'Verhalen uit de verhalenbank toevoegen' }).click();
  const choices = desk.locator('input[type=checkbox][name=verhaal]');
  assert.ok(await choices.count() >= 3, 'candidates from the bank');
  for (let i = 0; i < 3; i += 1) await choices.nth(i).check();
  await desk.getByRole('button', { name: 'Gekozen verhalen toevoegen' }).click();
  assert.match(await desk.textContent('.facts'), /Verhalen in de ronde\s*:?\s*3/);

  // Na-waarderen: the matrix cell opens the stories behind its count.
  await desk.getByLabel('Naar fase').selectOption('analyse');
  await desk.getByRole('button', { name: 'Fase opslaan' }).click();
  assert.match(await desk.textContent('#fase-titel'), /Na-waarderen/);
  const cell = desk.locator('table.matrix td a').first();
  const count = Number(await cell.textContent());
  assert.ok(count >= 1);
  await cell.click();
  assert.equal(await desk.locator('#cel .story-card').count(), count);

  await desk.getByLabel('Verhaal', { exact: true }).selectOption({ index: 1 });
  await desk.getByLabel('Waarom dit verhaal?').fill('Het laat zien hoe een buurvrouw iemand meeneemt.');
  await desk.getByRole('button', { name: 'Verhaal kiezen' }).click();
  assert.match(await desk.textContent('.significant'), /hoe een buurvrouw iemand meeneemt/);

  await desk.getByLabel('Synthese (voor de analist en de gemeenteraad)').fill('## De kern\n\nMensen doen mee als iemand ze meeneemt.');
  await desk.getByLabel('Terugkoppeling voor de deelnemers').fill('Wij hoorden: samen gaan helpt. Daarom komt er een buddy voor nieuwe bezoekers.');
  await desk.getByRole('button', { name: 'Teksten opslaan' }).click();
  assert.match(await desk.textContent('#synthese'), /Mensen doen mee als iemand ze meeneemt/);

  await desk.getByLabel('Naar fase').selectOption('closed');
  await desk.getByRole('button', { name: 'Fase opslaan' }).click();
  const shortLink = await desk.getAttribute('.big-link a', 'href');
  await desk.context().close();

  // The participant reads the feedback on a phone.
  const phone = await newPage(shared.browser, { width: 360, javaScript: false });
  await phone.goto(`${base}${shortLink}`);
  assert.match(await phone.textContent('main'), /Wat we vonden/);
  assert.match(await phone.textContent('main'), /een buddy voor nieuwe bezoekers/);
  assert.equal(await phone.locator('textarea').count(), 0, 'a closed round takes no stories');
  assert.deepEqual(await accessibilityViolationsAt(shared.browser, `${base}${shortLink}`, { width: 360 }), []);
  await phone.context().close();
});

test('the goal tree is edited without breaking links', async () => {
  const base = shared.server.base;
  const login = { base, name: 'analist' };
  const page = await newPage(shared.browser, { javaScript: false, login });
  await page.goto(`${base}/doelenboom`);
  await page.getByRole('link', { name: /^Wijzigen\s*: Inwoners hebben een sterker sociaal netwerk$/ }).click();
  await page.getByLabel('Titel van het subdoel').fill('Inwoners kennen meer mensen in hun buurt');
  await page.getByRole('button', { name: 'Opslaan' }).click();
  assert.match(await page.textContent('[role=status]'), /Opgeslagen: Inwoners kennen meer mensen in hun buurt/);

  // A new statement under it, then retired again.
  await page.getByRole('link', { name: /^Stelling toevoegen\s*: Inwoners kennen meer mensen in hun buurt$/ }).click();
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  assert.match(await page.textContent('.error-summary'), /Vul een titel in/);
  assert.deepEqual(await accessibilityViolationsAt(shared.browser, `${base}/doelenboom/nieuw/stelling?onder=sterker-netwerk`, { login }), []);
  await page.getByLabel('Tekst van de stelling').fill('Ik groet nu meer mensen op straat');
  await page.getByLabel('Vijf antwoorden, van helemaal oneens tot helemaal eens').check();
  await page.getByRole('button', { name: 'Toevoegen' }).click();
  await page.getByRole('link', { name: /^Wijzigen\s*: Ik groet nu meer mensen op straat$/ }).click();
  await page.getByRole('button', { name: 'Laten vervallen' }).click();
  assert.match(await page.textContent('#stelling-ik-groet-nu-meer-mensen-op-straat'), /Vervallen sinds/);

  // The overview shows the new name; the stories stay with the subgoal.
  await page.goto(`${base}/`);
  assert.match(await page.textContent('main'), /Inwoners kennen meer mensen in hun buurt/);
  await page.goto(`${base}/zoeken?subgoal=sterker-netwerk`);
  assert.match(await page.textContent('main'), /\d+ verhalen gevonden/);
  await page.context().close();
});

test('the yearly report prints on A4 with a page per goal', async () => {
  const base = shared.server.base;
  const page = await newPage(shared.browser, { javaScript: false });
  await page.goto(`${base}/verantwoording?jaar=2025`);
  assert.match(await page.textContent('h1'), /Verantwoording 2025/);
  const goals = await page.locator('.report-goal').count();
  assert.equal(goals, 4);
  const whole = await page.pdf({ format: 'A4', printBackground: false });
  const sizes = pdfPageSizes(whole);
  assert.ok(sizes.length >= 1 + goals, `${sizes.length} pages`);
  for (const [width, height] of sizes) {
    assert.ok(Math.abs(width - 595) < 2 && Math.abs(height - 842) < 2, `A4, not ${width}×${height}`);
  }
  assert.equal(pdfPages(whole), sizes.length);

  // One goal: fewer pages, and the choice form and links do not print.
  await page.goto(`${base}/verantwoording?jaar=2025&doel=meedoen`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.report-choice').isVisible(), false);
  assert.equal(await page.locator('.site-header nav').isVisible(), false);
  const one = await page.pdf({ format: 'A4', printBackground: false });
  assert.ok(pdfPages(one) >= 2 && pdfPages(one) < pdfPages(whole), `${pdfPages(one)} of ${pdfPages(whole)} pages`);
  await page.context().close();
});
