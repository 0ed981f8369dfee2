// The questions about the story on a phone: a resident tells a story at 360 px without JavaScript,
// answers the questions on the screen with their code (a slider as five radio buttons between its
// poles, a choice, a statement of the subgoal they picked) and sends them; in Dutch and in Arabic,
// axe finds nothing and nothing scrolls sideways, before and after.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, accessibilityViolations, overflowsHorizontally } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

const stories = {
  nl: { text: 'Bij de koffie-inloop leerde ik de mensen van mijn straat kennen. Nu groeten we elkaar.', saved: /antwoorden zijn bewaard/ },
  ar: { text: 'منذ أن بدأت أذهب إلى المقهى في مركز الحي، صرت أعرف جيراني. كنت أشعر بالوحدة كثيرًا من قبل.', saved: /أجوبتك محفوظة/ },
};

// Told and answered once without JavaScript (the flow works), and once with it, where axe can look.
async function tellAndAnswer(page, lang, story, look) {
  await page.goto(`${shared.server.base}/vertel?taal=${lang}`);
  await page.fill('#verhaal', story.text);
  await page.check('#gevoel-positive');
  await page.check('#subdoel-sterker-netwerk');
  await page.check('#toestemming-internal');
  await page.locator('form[action="/vertel"] button[type="submit"]').click();
  // The code first, then the questions: a slider's five points and its two ways out.
  assert.match(await page.locator('.receipt .code').textContent(), /^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
  for (const value of ['0', '25', '50', '75', '100', 'weet-niet', 'past-niet']) {
    assert.equal(await page.locator(`#vraag-alleen-of-samen-${value}`).count(), 1, value);
  }
  await look('the questions');
  await page.check('#vraag-alleen-of-samen-75');
  await page.check('#vraag-gevoel-opgelucht');
  await page.check('#vraag-wat-veranderde-meer-contact');
  await page.check('#vraag-meer-mensen-leren-kennen-4');
  await page.locator('form[action="/vertel/vragen"] button[type="submit"]').click();
  assert.match(await page.locator('[role="status"]').textContent(), story.saved);
  assert.equal(await page.locator('form[action="/vertel/vragen"]').count(), 0, 'asked once');
  await look('after sending');
}

for (const [lang, story] of Object.entries(stories)) {
  test(`a resident answers the questions about their story at 360 px (${lang})`, async () => {
    const plain = await newPage(shared.browser, { width: 360, javaScript: false });
    await tellAndAnswer(plain, lang, story, async () => {});
    await plain.context().close();

    const page = await newPage(shared.browser, { width: 360 });
    const problems = [];
    await tellAndAnswer(page, lang, story, async (when) => {
      const violations = await accessibilityViolations(page);
      if (violations.length) problems.push(`${when}:\n  ${violations.join('\n  ')}`);
      if (await overflowsHorizontally(page)) problems.push(`${when}: wider than 360 px`);
    });
    await page.context().close();
    assert.deepEqual(problems, []);
  });
}
