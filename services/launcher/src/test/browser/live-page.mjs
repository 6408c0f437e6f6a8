// Opens the live cluster page in Debian's headless chromium and checks what it shows as the cluster changes.
//   node live-page.mjs <page url> <screenshot.png> <model:version> <host>...
// Talks to the test that runs it over stdout: prints PAGE-READY once every host is listed and no request is, then
// waits (the test sends requests meanwhile) until the model is READY in a host's cpu tier and its requests are
// listed with their latency, without reloading the page; saves the screenshot and prints PASS. Exit 0 only then.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [url, screenshot, model, ...hosts] = process.argv.slice(2);
if (!url || !screenshot || !model || hosts.length === 0) {
  console.log('FAIL: usage: node live-page.mjs <page url> <screenshot.png> <model:version> <host>...');
  process.exit(2);
}
const modelName = model.slice(0, model.lastIndexOf(':'));

// The machine has no outside network: everything that would reach out is turned off.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const began = Date.now();
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'trims-live-page-'));
const problems = [];
let context;
let page;

function check(condition, what) {
  if (!condition) throw new Error(what);
}

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 860 },
    timeout: 30_000,
  });
  console.log(`browser launched after ${Date.now() - began} ms`);
  page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (error) => problems.push('page error: ' + error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push('console error: ' + message.text());
  });

  await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
  for (const host of hosts) {
    await page.waitForSelector(`#hosts .host[data-host="${host}"]`, { timeout: 30_000 });
  }
  await page.waitForSelector('#connection[data-state="live"]', { timeout: 10_000 });
  const before = await page.locator('#requests tbody tr[data-seq]').count();
  check(before === 0, `the page lists ${before} requests before any was sent`);
  // A reload would lose this: checked at the end, it shows that what follows came through the event stream.
  await page.evaluate(() => { window.trimsSamePage = true; });
  console.log(`page lists ${hosts.join(', ')} after ${Date.now() - began} ms`);
  console.log('PAGE-READY');

  const copy = `#hosts .host .tier[data-tier="cpu"] .copy[data-model="${model}"][data-state="ready"]`;
  await page.waitForSelector(copy, { timeout: 45_000 });
  const holder = await page.locator(copy).first().evaluate((chip) => chip.closest('.host').dataset.host);
  check(hosts.includes(holder), `the copy is on '${holder}', not one of ${hosts.join(', ')}`);
  const chipText = await page.locator(copy).first().textContent();
  check(chipText.includes('READY'), `the copy reads '${chipText}'`);

  const row = `#requests tbody tr[data-model="${modelName}"]`;
  await page.waitForSelector(`${row} td.latency`, { timeout: 30_000 });
  const first = page.locator(row).first();
  const latency = Number.parseFloat(await first.locator('td.latency').textContent());
  const status = (await first.locator('td.status').textContent()).trim();
  const servedBy = (await first.locator('td.served-by').textContent()).trim();
  check(Number.isFinite(latency) && latency > 0, `the latest request's latency reads '${latency}'`);
  check(status === '200', `the latest request's status reads '${status}'`);
  check(hosts.includes(servedBy), `the latest request ran on '${servedBy}'`);

  await page.waitForFunction((key) => {
    const rate = document.querySelector(`#models tr[data-model="${key}"] td.rate`);
    return rate !== null && Number.parseFloat(rate.textContent) > 0;
  }, model, { timeout: 15_000 });
  // For the picture only: a few more seconds of the test's requests fill the sparklines.
  await page.waitForTimeout(4_000);

  check(await page.evaluate(() => window.trimsSamePage === true), 'the page was reloaded');
  check(problems.length === 0, problems.join('; '));
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  // The first screen: hosts, models and the newest requests; the whole list would only make the picture long.
  await page.screenshot({ path: screenshot });
  const listed = await page.locator('#requests tbody tr[data-seq]').count();
  console.log(`PASS ${model} ready in cpu on ${holder}; ${listed} requests listed, latest ${latency} ms on ${servedBy}`);
} catch (error) {
  console.log('FAIL: ' + error.message.split('\n')[0]);
  if (problems.length > 0) console.log('page problems: ' + problems.join('; '));
  if (page) {
    const text = await page.evaluate(() => document.body.innerText).catch(() => '(page text unavailable)');
    console.log('page text: ' + text.slice(0, 3000));
  }
  process.exitCode = 1;
} finally {
  if (context) await context.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
