// The GraphiQL page in a real browser (Debian's chromium through playwright-core), run by GraphiQLBrowserTests:
//   node graphiql.mjs <base-url> <token> <expected-username>
// Loads /graphiql, checks the docs explorer lists Query, enters the token in the Headers editor, runs `{ me { username } }`
// and checks the result. Any request to another origin fails the test (the page must need nothing from a CDN).
// Prints one JSON line: {"ok":true,...} or {"ok":false,"step":...,"error":...}.
import { chromium } from 'playwright-core';

const [base, token, username] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const origin = new URL(base).origin;
const problems = [];
let step = 'launch';
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(90000); // a loaded CI machine: Monaco and the workers start slowly
  page.on('request', r => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`foreign request ${r.url()}`); });
  page.on('console', m => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));

  step = 'load the page';
  const response = await page.goto(new URL('/graphiql', base).toString());
  const csp = response.headers()['content-security-policy'] || '';
  if (!csp.includes("script-src 'self'")) throw new Error(`no CSP on the page: ${csp}`);
  await page.locator('.graphiql-container').waitFor();

  step = 'the docs explorer lists Query';
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().waitFor();

  step = 'enter the token in the Headers editor';
  await page.getByText('Headers', { exact: true }).first().click();
  const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
  await headers.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(`{"Authorization": "Bearer ${token}"}`);
  await page.locator('.graphiql-editor-tool').getByText('Authorization').first().waitFor();

  step = 'write the query';
  const query = page.locator('.graphiql-query-editor .graphiql-editor').first();
  await query.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{ me { username } }');
  await page.locator('.graphiql-query-editor').getByText('username').first().waitFor();

  step = 'run it and see the result';
  await page.locator('.graphiql-execute-button').click();
  await page.locator('.result-window').getByText(username).first().waitFor();
  const text = await page.locator('.result-window').innerText();

  const foreign = problems.filter(p => p.startsWith('foreign') || p.startsWith('page error') || p.includes('Content Security Policy'));
  if (foreign.length > 0) throw new Error(foreign.join('; '));
  console.log(JSON.stringify({ ok: true, csp, result: text.replace(/\s+/g, ' ').slice(0, 200), console: problems }));
} catch (e) {
  let html = '';
  try { html = (await (await browser.contexts()[0]?.pages()[0])?.content() ?? '').slice(0, 3000); } catch { /* ignore */ }
  console.log(JSON.stringify({ ok: false, step, error: String(e.message || e).slice(0, 1500), problems, html }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
