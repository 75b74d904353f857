// `npx tsx scripts/render-icon.ts`: renders media/icon.svg (the source, edit that) to
// media/icon.png, the 128×128 Marketplace icon (the Marketplace does not accept SVG icons).
// Uses the Chromium the UI tests use, headless, through playwright-core. Chromium's PNG encoder is
// quick rather than small: then run `zopflipng -y -m media/icon.png media/icon.png` (Debian's
// zopfli), which keeps every pixel and made the current icon 8.2 → 4.9 KB.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..');
const SIZE = 128;

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(ROOT, 'media', 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: process.env.WORKFLOW_RUNS_CHROMIUM ?? '/usr/bin/chromium', headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    const png = await page.locator('svg').screenshot({ omitBackground: true });
    fs.writeFileSync(path.join(ROOT, 'media', 'icon.png'), png);
    process.stdout.write(`media/icon.png: ${png.length} bytes\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
