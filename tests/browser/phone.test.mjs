// What readers see on a phone and on a projector: every page fits 360 px and passes axe with the demo's
// longest Dutch words in headings, charts keep legible labels beside the data, search puts the first
// result within two screens with its filters folded away and chosen filters as removable chips, the
// session board shows full-screen in large type, and the small things: password fields styled like the
// others, the 404 page inside the site.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, overflowsHorizontally } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

/** The demo's longest words, put in a goal's and a session's title so they stand in headings. */
const LONG_GOAL = 'Ontmoetingsbijeenkomsten, vrijwilligersovereenkomsten en betalingsachterstanden';
const LONG_SESSION = 'Vertelsessie ervaringsdeskundigen en woningbouwvereniging';

/** Makes a goal and plans a session with long words in their titles, as the analyst and facilitator
 *  would; returns the session's path. */
async function longWordsInHeadings(browser, base) {
  const analyst = await newPage(browser, { javaScript: false, login: { base, name: 'analist' } });
  await analyst.goto(`${base}/doelenboom/nieuw/doel`);
  await analyst.getByLabel('Titel van het hoofddoel').fill(LONG_GOAL);
  await analyst.getByRole('button', { name: 'Toevoegen' }).click();
  await analyst.context().close();
  const desk = await newPage(browser, { javaScript: false, login: { base, name: 'begeleider' } });
  await desk.goto(`${base}/sessies/nieuw`);
  await desk.getByLabel('Naam van de sessie').fill(LONG_SESSION);
  await desk.getByLabel('Stadsdeel of wijk').selectOption('noord');
  await desk.getByLabel('Datum').fill('2026-11-23');
  await desk.getByLabel('Plaats (adres)').fill('Buurthuis De Hoven');
  await desk.getByLabel(/Aantal ontmoetingsbijeenkomsten/).check();
  await desk.getByRole('button', { name: 'Sessie plannen' }).click();
  const path = new URL(desk.url()).pathname;
  await desk.context().close();
  return path;
}

test('every page fits 360 px and passes axe, with the longest words of the demo in headings', async () => {
  const base = shared.server.base;
  const session = await longWordsInHeadings(shared.browser, base);
  const problems = [];
  let checked = 0;
  for (const who of [undefined, 'analist']) {
    const page = await newPage(shared.browser, { width: 360, login: who && { base, name: who } });
    await page.goto(`${base}/`);
    assert.match(await page.textContent('main'), /Ontmoetingsbijeenkomsten, vrijwilligersovereenkomsten/);
    const indicators = await page.$$eval('a[href^="/indicator/"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
    assert.ok(indicators.length >= 20, `the overview links every indicator (${indicators.length})`);
    const paths = who
      ? ['/', session, `${session}/bord`, `${session}/bord?kiosk=1`, `${session}/verslag`, '/sessies', '/doelenboom',
        '/verantwoording?jaar=2026', '/rondes', '/rondes/minder-alleen-2025', '/rondes/minder-alleen-2025/thema/1', '/moderatie', '/aanbieder/verhaal', '/wachtwoord',
        ...indicators.slice(0, 6).map((p) => `${p}/duiding`)]
      : ['/', '/zoeken?q=buurt', '/zoeken?q=buurt&valence=negative&area=zuid', '/vertel', '/mijn-verhaal', '/inloggen',
        '/patronen', '/acties', '/verantwoording', '/verantwoording?jaar=2025', '/bestaat-niet', ...indicators];
    for (const path of paths) {
      await page.goto(base + path);
      checked += 1;
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) problems.push(`${path} (${who ?? 'public'}) is ${width} px wide`);
      const violations = await accessibilityViolations(page);
      if (violations.length) problems.push(`${path} (${who ?? 'public'}):\n  ${violations.join('\n  ')}`);
    }
    await page.context().close();
  }
  assert.deepEqual(problems, []);
  assert.ok(checked > 50, `${checked} pages checked`);
});

test('headings are hyphenated in Dutch and break long words rather than overflow', async () => {
  const page = await newPage(shared.browser, { width: 360 });
  await page.goto(`${shared.server.base}/indicator/bijeenkomsten-ontmoeting`);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl');
  const style = await page.$eval('h1', (h) => [getComputedStyle(h).hyphens, getComputedStyle(h).overflowWrap]);
  assert.deepEqual(style, ['auto', 'anywhere']);
  const box = await page.$eval('h1', (h) => h.getBoundingClientRect().right);
  assert.ok(box <= 360, `the heading ends at ${box} px`);
  assert.equal(await overflowsHorizontally(page), false);
  await page.context().close();
});

test('charts name their unit, keep start and target labels beside the data, and stay legible on a phone', async () => {
  const page = await newPage(shared.browser, { width: 360 });
  await page.goto(`${shared.server.base}/indicator/aandeel-eenzaam`);
  assert.equal((await page.textContent('svg.chart .unit')).trim(), '%');
  const sizes = await page.$$eval('svg.chart text.axis', (texts) => texts.map((t) => t.getBoundingClientRect().height));
  assert.ok(sizes.length > 3 && Math.min(...sizes) >= 11, `axis text heights at 360 px: ${sizes.join(', ')}`);
  // The labels start right of the last data point, so the line never runs through them.
  const lastPoint = await page.$$eval('svg.chart circle.point', (cs) => Math.max(...cs.map((c) => c.getBoundingClientRect().right)));
  for (const label of ['baseline-label', 'target-label']) {
    const left = await page.$eval(`svg.chart .${label}`, (t) => t.getBoundingClientRect().left);
    assert.ok(left > lastPoint, `${label} starts at ${left}, the data ends at ${lastPoint}`);
  }
  await page.context().close();
});

test('on a phone the search puts results first, folds the filters, and shows chosen filters as removable chips', async () => {
  const base = shared.server.base;
  for (const javaScript of [true, false]) {
    const page = await newPage(shared.browser, { width: 360, javaScript });
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${base}/zoeken?q=buurt&valence=negative&area=zuid`);
    const top = await page.$eval('main a[href^="/verhaal/"]', (a) => a.getBoundingClientRect().top);
    assert.ok(top <= 2 * 740, `the first result starts ${top} px down`);
    assert.equal(await page.$eval('details.filters', (d) => d.open), false);
    assert.equal(await page.isVisible('.facet input[type=checkbox]'), false, 'the checkboxes are folded away');
    const chips = await page.$$eval('.chosen-filters a.chip', (as) => as.map((a) => a.textContent.trim()));
    assert.equal(chips.length, 2, chips.join(' | '));
    assert.ok(chips.some((c) => c.startsWith('Soort verhaal: Knelpunt')), chips.join(' | '));
    // Removing a chip is a plain link: the same search without that filter.
    await page.click('.chosen-filters a.chip:has-text("Knelpunt")');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'buurt');
    assert.equal(url.searchParams.get('area'), 'zuid');
    assert.equal(url.searchParams.get('valence'), null);
    await page.context().close();
  }
  // Areas are nested: each wijk right under its stadsdeel; on a wide screen the filters are open.
  const wide = await newPage(shared.browser, { width: 1280 });
  await wide.goto(`${base}/zoeken?q=buurt`);
  assert.equal(await wide.isVisible('.facet input[type=checkbox]'), true);
  const areas = await wide.$$eval('fieldset', (sets) => {
    const set = sets.find((s) => s.querySelector('input[name=area]'));
    return [...set.querySelectorAll('.check')].map((c) => [c.classList.contains('nested'), c.querySelector('label').textContent.trim()]);
  });
  const noord = areas.findIndex(([, label]) => label.startsWith('Veenstede-Noord'));
  assert.ok(noord >= 0, JSON.stringify(areas));
  assert.equal(areas[noord][0], false);
  assert.equal(areas[noord + 1][0], true, `a wijk of Noord follows it: ${JSON.stringify(areas)}`);
  await wide.context().close();
});

test('the board on a projector: full screen without the staff menu, large type, refreshing itself', async () => {
  const base = shared.server.base;
  const page = await newPage(shared.browser, { width: 1280, login: { base, name: 'begeleider' } });
  await page.goto(`${base}/sessies/noord-2026-03/bord`);
  await page.getByRole('link', { name: 'Toon op een groot scherm' }).click();
  assert.match(page.url(), /kiosk=1/);
  assert.equal(await page.$('header.site-header'), null);
  assert.equal(await page.$('nav.main-nav'), null);
  assert.equal(await page.getByText('Uitloggen').count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Vernieuwen' }).count(), 0);
  const h1 = await page.$eval('h1', (h) => parseFloat(getComputedStyle(h).fontSize));
  const body = await page.$eval('body', (b) => parseFloat(getComputedStyle(b).fontSize));
  assert.ok(h1 >= 44 && body >= 20, `heading ${h1} px, text ${body} px`);
  assert.match(await page.content(), /http-equiv="refresh"/);
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.context().close();
});

test('password fields look like the other fields, and the 404 page is inside the site', async () => {
  const base = shared.server.base;
  const style = (els) => els.map((e) => {
    const s = getComputedStyle(e);
    return `${s.paddingTop} ${s.borderTopWidth} ${s.borderTopStyle} ${Math.round(e.getBoundingClientRect().height)}`;
  });
  const page = await newPage(shared.browser, { width: 360 });
  await page.goto(`${base}/inloggen`);
  const login = await page.$$eval('input[type=password], input[type=text]', style);
  assert.equal(new Set(login).size, 1, login.join(' | '));
  const missing = await page.goto(`${base}/bestaat-niet`);
  assert.equal(missing.status(), 404);
  assert.ok(await page.isVisible('header.site-header nav a[href="/zoeken"]'));
  await page.context().close();
  const staff = await newPage(shared.browser, { width: 360, login: { base, name: 'analist' } });
  await staff.goto(`${base}/wachtwoord`);
  const fields = await staff.$$eval('input[type=password]', style);
  assert.ok(fields.length >= 2);
  assert.equal(new Set(fields).size, 1, fields.join(' | '));
  await staff.context().close();
});
