// Takes full-page screenshots of pages in Debian's Chromium, for looking at layouts by eye.
// Usage: [LOGIN=analist] node screenshot.mjs BASE_URL OUT_DIR path[,path...] [width...]
// With LOGIN, the pages are taken logged in with that demo account.
import { chromium } from 'playwright-core';
import { loginCookie } from './harness.mjs';

const [base, out, paths, ...widths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
for (const width of (widths.length ? widths : ['1280', '360']).map(Number)) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: process.env.LOCALE ?? 'nl-NL' });
  if (process.env.LOGIN) {
    const [name, value] = (await loginCookie(base, process.env.LOGIN)).split('=');
    await context.addCookies([{ name, value, url: base }]);
  }
  const page = await context.newPage();
  for (const path of paths.split(',')) {
    await page.goto(base + path);
    const name = (path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home') + `-${width}.png`;
    await page.screenshot({ path: `${out}/${name}`, fullPage: true });
    console.log(`${out}/${name}`);
  }
  await context.close();
}
await browser.close();
