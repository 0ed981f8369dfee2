// A photo and a spoken story, as a resident sends them from a phone without JavaScript: both go through
// moderation to publication. The photo is shown with its description as alt text; the recording is
// played by staff only, and its transcript is what the public reads and finds. The Arabic form with the
// new fields passes axe at 360 px.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { withServerAndBrowser, newPage, eventually, accessibilityViolations, overflowsHorizontally } from './harness.mjs';

const shared = withServerAndBrowser(before, after, afterEach);

/** A JPEG photo of `width` × `height`, drawn by the browser. */
async function jpeg(width, height) {
  const page = await newPage(shared.browser);
  const data = await page.evaluate(([w, h]) => {
    const canvas = document.createElement('canvas');
    canvas.width = w;
    canvas.height = h;
    const g = canvas.getContext('2d');
    g.fillStyle = '#2e7d32';
    g.fillRect(0, 0, w, h);
    g.fillStyle = '#fdd835';
    g.fillRect(w / 4, h / 4, w / 2, h / 2);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, [width, height]);
  await page.context().close();
  return Buffer.from(data, 'base64');
}

/** A WAV recording of `seconds` of a quiet tone, 8 kHz mono 8-bit. */
function wav(seconds) {
  const rate = 8000;
  const data = rate * seconds;
  const out = Buffer.alloc(44 + data);
  out.write('RIFF', 0); out.writeUInt32LE(36 + data, 4); out.write('WAVEfmt ', 8);
  out.writeUInt32LE(16, 16); out.writeUInt16LE(1, 20); out.writeUInt16LE(1, 22);
  out.writeUInt32LE(rate, 24); out.writeUInt32LE(rate, 28); out.writeUInt16LE(1, 32); out.writeUInt16LE(8, 34);
  out.write('data', 36); out.writeUInt32LE(data, 40);
  for (let i = 0; i < data; i++) out[44 + i] = 128 + Math.round(20 * Math.sin(i / 8));
  return out;
}

async function tell(phone, { title, text, alt, files }) {
  await phone.goto(`${shared.server.base}/vertel`);
  if (text) await phone.getByLabel('Uw verhaal', { exact: true }).fill(text);
  await phone.fill('#titel', title);
  if (alt) await phone.fill('#foto1_beschrijving', alt);
  for (const [selector, file] of files) await phone.setInputFiles(selector, file);
  await phone.getByLabel('Goed', { exact: true }).check();
  await phone.getByLabel('Mijn verhaal mag openbaar zijn').check();
  await phone.getByRole('button', { name: 'Verhaal versturen' }).click();
  const summary = await phone.locator('.error-summary').textContent({ timeout: 1000 }).catch(() => '');
  assert.equal(summary, '', `the form was refused: ${summary}`);
  await phone.waitForSelector('.receipt .code');
}

test('a story with a photo and a spoken story go through moderation to publication', async () => {
  const phone = await newPage(shared.browser, { width: 360, javaScript: false });
  await tell(phone, {
    title: 'Moestuin met foto',
    text: 'Sinds de zomer werken we met zes buren in de moestuin achter het buurthuis.',
    alt: 'Dat is de moestuin',
    files: [['#foto1', { name: 'IMG_2041.JPG', mimeType: 'image/jpeg', buffer: await jpeg(2400, 1600) }]],
  });
  // Told by voice alone: no text.
  await tell(phone, {
    title: 'Verhaal met mijn stem',
    text: '',
    files: [['#opname', { name: 'opname.wav', mimeType: 'audio/wav', buffer: wav(3) }]],
  });
  await phone.context().close();

  // A photo without a description is refused, with the problem next to it.
  const check = await newPage(shared.browser, { width: 360, javaScript: false });
  await check.goto(`${shared.server.base}/vertel`);
  await check.getByLabel('Uw verhaal', { exact: true }).fill('Een verhaal dat lang genoeg is om te tellen.');
  await check.setInputFiles('#foto1', { name: 'foto.jpg', mimeType: 'image/jpeg', buffer: await jpeg(40, 30) });
  await check.getByLabel('Goed', { exact: true }).check();
  await check.getByLabel('Mijn verhaal mag openbaar zijn').check();
  await check.getByRole('button', { name: 'Verhaal versturen' }).click();
  assert.match(await check.textContent('.error-summary'), /Schrijf in één zin wat er op de foto te zien is/);
  assert.match(await check.textContent('#bestanden-opnieuw'), /Kies uw foto/);
  await check.context().close();

  const desk = await newPage(shared.browser, { login: { base: shared.server.base, name: 'analist' } });
  await desk.goto(`${shared.server.base}/moderatie`);
  await desk.getByRole('link', { name: /Moestuin met foto/ }).click();
  const photoId = desk.url().split('/moderatie/')[1];
  const photo = desk.locator('.photo-list img');
  assert.equal(await photo.getAttribute('alt'), 'Dat is de moestuin');
  // The photo loads lazily: it is looked at once it has loaded (or failed to).
  await photo.scrollIntoViewIfNeeded();
  await photo.evaluate((img) => img.complete || new Promise((done) => {
    img.addEventListener('load', done);
    img.addEventListener('error', done);
  }));
  assert.ok(await photo.evaluate((img) => img.naturalWidth === 1600), 'the photo is resized to 1600 px');
  assert.match(await desk.textContent('.moderation-media'), /gezichten of huisnummers/);
  await desk.getByLabel('Publiceren', { exact: true }).check();
  await desk.getByRole('button', { name: 'Opslaan' }).click();
  assert.match(await desk.textContent('.notice'), /Opgeslagen/);

  await desk.goto(`${shared.server.base}/moderatie`);
  await desk.getByRole('link', { name: /Verhaal met mijn stem/ }).click();
  const voiceId = desk.url().split('/moderatie/')[1];
  const source = await desk.getAttribute('.moderation-media audio source', 'src');
  assert.equal(source, `/moderatie/${voiceId}/opname`);
  const played = await desk.request.get(shared.server.base + source);
  assert.equal(played.status(), 200);
  assert.equal(played.headers()['content-type'], 'audio/wav');
  assert.equal(played.headers()['cache-control'], 'no-store');
  // Staff write the transcript in the story's text, then publish.
  await desk.fill('#verhaal', 'Ik woon hier veertig jaar. Door de soepavond in de Zonnebloemstraat ken ik mijn buren weer.');
  await desk.getByLabel('Publiceren', { exact: true }).check();
  await desk.getByRole('button', { name: 'Opslaan' }).click();
  assert.match(await desk.textContent('.notice'), /Opgeslagen/);
  await desk.context().close();

  const visitor = await newPage(shared.browser, { javaScript: false });
  await visitor.goto(`${shared.server.base}/verhaal/${photoId}`);
  const shown = visitor.locator('.story-photo img');
  assert.equal(await shown.getAttribute('alt'), 'Dat is de moestuin');
  assert.ok(await shown.evaluate((img) => img.complete && img.naturalWidth > 0), 'the photo loads');
  // The spoken story: the transcript is public and searchable, the voice is nowhere.
  await visitor.goto(`${shared.server.base}/verhaal/${voiceId}`);
  assert.match(await visitor.textContent('.story-text'), /soepavond/);
  assert.equal(await visitor.locator('audio').count(), 0);
  const anonymous = await visitor.request.get(`${shared.server.base}/moderatie/${voiceId}/opname`, { maxRedirects: 0 });
  assert.notEqual(anonymous.status(), 200);
  assert.ok(!(anonymous.headers()['content-type'] ?? '').startsWith('audio/'));
  await eventually(async () => {
    await visitor.goto(`${shared.server.base}/zoeken?q=soepavond`);
    return (await visitor.textContent('#resultaten')).includes('1 verhaal gevonden');
  });
  await visitor.context().close();
});

for (const width of [1280, 360]) {
  test(`the Arabic form with photo and recording fields passes axe at ${width} px`, async () => {
    const page = await newPage(shared.browser, { width });
    await page.goto(`${shared.server.base}/vertel?taal=ar`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('#foto1', 'accept'), 'image/*');
    assert.equal(await page.getAttribute('#opname', 'accept'), 'audio/*');
    await page.locator('.more-photos summary').click();
    assert.deepEqual(await accessibilityViolations(page), []);
    assert.equal(await overflowsHorizontally(page), false);
    await page.context().close();
  });
}
