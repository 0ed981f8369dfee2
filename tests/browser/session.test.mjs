// A storytelling session walked through in the browser: plan it, open the board, tell two stories from
// phone-sized pages and see them appear on the board, record the interpretation and an action, and
// print the report to PDF on A4.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, accessibilityViolationsAt, eventually, pdfPages, loginCookie } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

test('a facilitator runs a session with the board and participants on their phones', async () => {
  const base = shared.server.base;
  const login = { base, name: 'begeleider' };
  const desk = await newPage(shared.browser, { javaScript: false, login });
  await desk.goto(`${base}/sessies/nieuw`);
  await desk.getByLabel('Naam van de sessie').fill('Vertelsessie Oosterbroek');
  await desk.getByLabel('Stadsdeel of wijk').selectOption('oosterbroek');
  await desk.getByLabel('Datum').fill('2026-11-23');
  await desk.getByLabel('Plaats (adres)').fill('Dorpskamer, Schoolstraat 2');
  await desk.getByLabel('Aantal unieke bezoekers van de koffie-inloop per kwartaal').check();
  await desk.getByRole('button', { name: 'Sessie plannen' }).click();
  assert.match(await desk.textContent('h1'), /Vertelsessie Oosterbroek/);
  assert.deepEqual(await accessibilityViolationsAt(shared.browser, desk.url(), { login }), []);
  await desk.getByRole('button', { name: 'Sessie starten' }).click();
  const shortLink = (await desk.textContent('.big-link')).trim();
  assert.match(shortLink, /\/s\/[a-z0-9]{6}$/);
  const cookie = await loginCookie(base, 'begeleider');
  const qr = await fetch(new URL(await desk.getAttribute('img.qr', 'src'), base), { headers: { cookie } });
  assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
  assert.match(await qr.text(), /<svg/);
  const sessionPath = new URL(desk.url()).pathname;

  // The board, with JavaScript: it reloads itself when a story comes in.
  const board = await newPage(shared.browser, { login });
  await board.goto(`${base}${sessionPath}/bord`);
  assert.match(await board.textContent('.board-stories'), /0 verhalen verteld/);
  assert.deepEqual(await accessibilityViolations(board), []);

  for (const [text, valence] of [
    ['Op de dorpskamer drinken we elke woensdag koffie. Sinds de bus niet meer rijdt is dat mijn enige uitje.', 'Goed'],
    ['Ik wil graag meedoen maar zonder bus kom ik er niet. Wie haalt mij op? Dat zou al veel helpen.', 'Niet goed'],
  ]) {
    const phone = await newPage(shared.browser, { width: 360, javaScript: false });
    await phone.goto(shortLink);
    assert.deepEqual(await accessibilityViolationsAt(shared.browser, shortLink, { width: 360 }), []);
    await phone.getByLabel('Uw verhaal', { exact: true }).fill(text);
    await phone.getByLabel(valence, { exact: true }).check();
    await phone.getByLabel('Mijn verhaal mag openbaar zijn').check();
    await phone.getByRole('button', { name: 'Verhaal versturen' }).click();
    await phone.waitForSelector('.receipt .code');
    await phone.context().close();
  }
  await eventually(async () => (await board.textContent('.board-stories')).includes('2 verhalen verteld'), { timeout: 10_000 });
  assert.match(await board.textContent('.board-stories'), /Wie haalt mij op/);
  await board.context().close();

  // Interpretation and action.
  await desk.goto(`${base}${sessionPath}`);
  await desk.getByLabel('Wie deden mee?').fill('bewoners, dorpskamer, Buurtwerk, gemeente');
  await desk.getByLabel('Herkennen', { exact: true }).fill('Ja, de dorpskamer is vol, maar wie geen vervoer heeft, ontbreekt.');
  await desk.getByLabel('Verbeteren', { exact: true }).fill('Vrijwilligers rijden mensen naar de dorpskamer.');
  await desk.getByRole('button', { name: 'Duiding opslaan' }).click();
  await desk.getByLabel('Wat gaan we doen?').fill('Vervoer met vrijwilligers naar de dorpskamer');
  await desk.getByLabel('Wie doet het').fill('Vrijwilligerscentrale Veenstede');
  await desk.getByLabel('Klaar op').fill('2027-02-01');
  await desk.getByRole('button', { name: 'Actie opslaan' }).click();
  assert.match(await desk.textContent('#acties'), /Vervoer met vrijwilligers/);

  // The report prints on A4.
  await desk.goto(`${base}${sessionPath}/verslag`);
  assert.match(await desk.textContent('.report'), /de dorpskamer is vol/);
  const pdf = await desk.pdf({ format: 'A4', printBackground: false });
  assert.ok(pdfPages(pdf) >= 1 && pdfPages(pdf) <= 4, `${pdfPages(pdf)} pages`);
  assert.ok(pdf.length > 10_000);
  await desk.context().close();
});
