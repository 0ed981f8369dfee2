// The resident pages in six languages: /vertel (and the other resident pages, the paper form among them)
// passes axe at 1280 and 360 px in each, without sideways scrolling; the Arabic page runs right to left (the layout mirrored, the receipt code left to right); the
// language switch works without JavaScript and the choice stays for the visit.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, accessibilityViolationsAt, overflowsHorizontally, pdfPages, pdfPageSizes } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

const languages = ['nl', 'en', 'tr', 'ar', 'pl', 'uk'];

for (const width of [1280, 360]) {
  test(`/vertel in six languages has no accessibility violations at ${width} px`, async () => {
    const page = await newPage(shared.browser, { width });
    const problems = [];
    for (const lang of languages) {
      for (const path of [`/vertel?taal=${lang}`, `/mijn-verhaal?taal=${lang}`, `/s/nrd26m?taal=${lang}`, `/r/mnd25r?taal=${lang}`, `/vertel/papier?taal=${lang}`]) {
        await page.goto(shared.server.base + path);
        assert.equal(await page.getAttribute('html', 'lang'), lang, path);
        const violations = await accessibilityViolations(page);
        if (violations.length) problems.push(`${path}:\n  ${violations.join('\n  ')}`);
        if (await overflowsHorizontally(page)) problems.push(`${path}: wider than ${width} px`);
      }
    }
    await page.context().close();
    assert.deepEqual(problems, []);
  });
}

test('the Arabic page runs right to left, its receipt code left to right', async () => {
  const page = await newPage(shared.browser, { width: 360, javaScript: false });
  await page.goto(`${shared.server.base}/vertel?taal=ar`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  // Mirrored: the heading starts at the right, a radio button stands to the right of its label.
  const heading = await page.locator('h1').boundingBox();
  const main = await page.locator('main').boundingBox();
  assert.ok(main.x + main.width - (heading.x + heading.width) < 40, 'the heading hugs the right edge');
  const radio = await page.locator('#gevoel-positive').boundingBox();
  const label = await page.locator('label[for="gevoel-positive"]').boundingBox();
  assert.ok(radio.x > label.x, 'the radio button is on the right of its label');

  // Told in Arabic, without JavaScript: the receipt is in Arabic, the code reads left to right.
  await page.fill('#verhaal', 'منذ أن بدأت أذهب إلى المقهى في مركز الحي، صرت أعرف جيراني. كنت أشعر بالوحدة كثيرًا من قبل.');
  await page.check('#gevoel-positive');
  await page.check('#toestemming-internal');
  await page.locator('form.story-form button[type="submit"]').click();
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const code = page.locator('.receipt .code');
  assert.equal(await code.getAttribute('dir'), 'ltr');
  assert.equal(await code.evaluate((node) => getComputedStyle(node).direction), 'ltr');
  assert.match(await code.textContent(), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  // The choice stayed for the visit: /mijn-verhaal without ?taal= is in Arabic too.
  await page.goto(`${shared.server.base}/mijn-verhaal`);
  assert.equal(await page.getAttribute('html', 'lang'), 'ar');
  await page.context().close();
});

test('the language switch is a set of links that works without JavaScript', async () => {
  const page = await newPage(shared.browser, { javaScript: false });
  await page.goto(`${shared.server.base}/vertel`);
  await page.getByRole('link', { name: 'Türkçe' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'tr');
  assert.equal(new URL(page.url()).pathname, '/vertel');
  await page.getByRole('link', { name: 'Українська' }).click();
  assert.equal(await page.getAttribute('html', 'lang'), 'uk');
  // A staff page stays Dutch and says so in Ukrainian.
  await page.goto(`${shared.server.base}/zoeken`);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  assert.equal(await page.locator('.language-note').getAttribute('lang'), 'uk');
  await page.context().close();
  assert.deepEqual(await accessibilityViolationsAt(shared.browser, `${shared.server.base}/zoeken?taal=uk`), []);
});

test('the paper form prints on A4 in large type, without the menus, and staff type one in', async () => {
  const page = await newPage(shared.browser);
  for (const lang of ['tr', 'ar']) {
    await page.goto(`${shared.server.base}/vertel/papier?taal=${lang}`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.language-nav').isVisible(), false);
    assert.equal(await page.locator('.paper-screen-only').isVisible(), false);
    const size = await page.locator('.paper-question p.help').first().evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
    assert.ok(size >= 16, `large type: ${size}px`);
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    for (const [width, height] of pdfPageSizes(pdf)) {
      assert.ok(Math.abs(width - 595) < 2 && Math.abs(height - 842) < 2, `A4, not ${width}×${height}`);
    }
    assert.ok(pdfPages(pdf) >= 1 && pdfPages(pdf) <= 3, `${lang}: ${pdfPages(pdf)} pages`);
    await page.emulateMedia({ media: 'screen' });
  }
  await page.context().close();

  // The staff screen, as provider staff, without JavaScript: the code to write on the form.
  const desk = await newPage(shared.browser, { javaScript: false, login: { base: shared.server.base, name: 'buurtwerk' } });
  await desk.goto(`${shared.server.base}/aanbieder/papier`);
  await desk.fill('#verhaal', 'Op het papieren formulier schreef een bewoner over de nieuwe bankjes bij de supermarkt.');
  await desk.check('#gevoel-positive');
  await desk.check('#toestemming-internal');
  await desk.locator('form.story-form button[type="submit"]').click();
  assert.match(await desk.textContent('.receipt .code'), /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await desk.context().close();
  const login = { base: shared.server.base, name: 'buurtwerk' };
  for (const width of [1280, 360]) {
    assert.deepEqual(await accessibilityViolationsAt(shared.browser, `${shared.server.base}/aanbieder/papier`, { width, login }), []);
  }
});
