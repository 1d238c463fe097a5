const { chromium } = require('playwright-core');
(async () => {
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const p = await b.newPage();
  p.on('console', (m) => console.log('console:', m.type(), m.text()));
  p.on('pageerror', (e) => console.log('pageerror:', e.message));
  p.on('requestfailed', (r) => console.log('failed:', r.url(), r.failure()?.errorText));
  p.on('response', (r) => console.log('resp:', r.status(), r.url(), r.headers()['content-type']));
  await p.goto('http://127.0.0.1:3998/');
  await p.waitForTimeout(1500);
  console.log((await p.content()).slice(0, 600));
  await b.close();
})();
