// The GraphiQL page in a real browser (Debian's chromium through playwright-core), run by GraphiQLBrowserTests:
//   node graphiql.mjs <base-url> <token> <expected-username>
// Loads /graphiql, checks the docs explorer lists Query (the schema is loaded), enters the token in the Headers editor,
// writes `{ me { username } }`, runs it and checks the result. Any request to another origin fails the test (the page
// must need nothing from a CDN), and so does any request that fails or is answered 4xx/5xx (the page names an empty
// icon, so not even /favicon.ico is asked for).
//
// Every step waits on something the page shows or does, never on time: the editors are checked to hold exactly the text
// typed into them (and GraphiQL to have stored the query, which it does from its own change handler), the Run button to
// be ready, and the click to have sent the query to /graphql. Should a click send nothing (GraphiQL not yet wired to the
// editor on a loaded machine), the button is clicked once more; a click that sent the query is never repeated.
//
// Prints one JSON line: {"ok":true,...} or {"ok":false,"step":...,"error":...,"network":[...],"text":...} where
// `network` is every request the page made with its status, and `text` the page's visible text.
import { chromium } from 'playwright-core';

const [base, token, username] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const origin = new URL(base).origin;
const query = '{ me { username } }';
const started = Date.now();
const problems = [];
const network = [];
const steps = [];
let step = 'launch';
let page;
const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const enter = name => { step = name; steps.push(`${at()} ${name}`); };
const path = url => (url.startsWith(origin) ? url.slice(origin.length) : url);

/** The text a Monaco editor shows (it renders spaces as no-break spaces). */
const editorText = locator => locator.locator('.view-lines').first().innerText()
  .then(t => t.replace(/\u00a0/g, ' ').trim(), () => '');

/** Prints the failure with what explains it: the steps, every request and its status, the console, the page's text. */
async function report(e) {
  let text = '';
  let queryText = '';
  try {
    text = (await page?.locator('body').innerText({ timeout: 5000 }) ?? '').replace(/\u00a0/g, ' ').slice(0, 3000);
    queryText = page ? await editorText(page.locator('.graphiql-query-editor')) : '';
  } catch { /* the page is gone: the rest still explains */ }
  console.log(JSON.stringify({ ok: false, step, error: String(e.message || e).slice(0, 1500), problems, steps, network, queryEditor: queryText, text }));
  process.exitCode = 1;
}

// The test kills this script after 3 minutes; fail before that with the diagnostics rather than be killed without them.
const watchdog = setTimeout(() => {
  report(new Error(`still at step "${step}" after 150 s`)).finally(() => process.exit(1));
}, 150000);

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  page = await browser.newPage();
  page.setDefaultTimeout(90000); // a loaded CI machine: Monaco and the workers start slowly
  page.on('request', r => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`foreign request ${url}`);
  });
  page.on('response', r => {
    const url = r.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    network.push(`${at()} ${r.status()} ${r.request().method()} ${path(url)}`);
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.request().method()} ${path(url)}`);
  });
  page.on('requestfailed', r => network.push(`${at()} FAILED ${r.method()} ${path(r.url())}: ${r.failure()?.errorText}`));
  page.on('console', m => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}${m.location()?.url ? ` (${path(m.location().url)})` : ''}`);
  });
  page.on('pageerror', e => problems.push(`page error: ${e.message}`));

  enter('load the page');
  const response = await page.goto(new URL('/graphiql', base).toString());
  const csp = response.headers()['content-security-policy'] || '';
  if (!csp.includes("script-src 'self'")) throw new Error(`no CSP on the page: ${csp}`);
  await page.locator('.graphiql-container').waitFor();

  enter('the docs explorer lists Query (the schema is loaded)');
  await page.locator('button[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().waitFor();

  enter('enter the token in the Headers editor');
  await page.getByText('Headers', { exact: true }).first().click();
  const headers = page.locator('.graphiql-editor-tool .graphiql-editor').last();
  await headers.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(`{"Authorization": "Bearer ${token}"}`);
  await page.waitForFunction(
    ([sel, tail]) => [...document.querySelectorAll(sel)].some(e => e.innerText.replace(/\u00a0/g, ' ').includes(tail)),
    ['.graphiql-editor-tool .view-lines', token.slice(-24)]);

  enter('write the query');
  const queryEditor = page.locator('.graphiql-query-editor .graphiql-editor').first();
  await queryEditor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  // Monaco shows exactly the query, and GraphiQL's own change handler has stored it (what Run executes).
  await page.waitForFunction(
    ([sel, q]) => document.querySelector(sel)?.innerText.replace(/\u00a0/g, ' ').trim() === q
      && localStorage.getItem('graphiql:query') === q,
    ['.graphiql-query-editor .view-lines', query]);

  enter('run it');
  const execute = page.locator('.graphiql-execute-button[aria-label^="Execute query"]');
  const sent = r => r.method() === 'POST' && r.url() === new URL('/graphql', base).toString() && (r.postData() ?? '').includes('username');
  let request;
  let answer;
  for (let click = 1; !request; click++) {
    await execute.waitFor(); // "Execute", not "Stop": nothing is running
    const sending = page.waitForRequest(sent, { timeout: click === 1 ? 20000 : 90000 });
    const answering = page.waitForResponse(r => sent(r.request()));
    answering.catch(() => { /* a click that sent nothing: its wait times out unheard */ });
    await execute.click();
    try {
      request = await sending;
    } catch (e) {
      if (click > 1) throw new Error(`clicked Run twice and the query was never sent: ${e.message}`);
      problems.push(`${at()} the first click on Run sent no query; clicking once more`);
      steps.push(`${at()} run it again (query editor shows "${await editorText(page.locator('.graphiql-query-editor'))}")`);
      continue;
    }

    enter('see the result');
    answer = await answering;
  }

  const body = await answer.text();
  if (!body.includes(username)) throw new Error(`/graphql answered ${answer.status()} without the username: ${body.slice(0, 500)}`);
  await page.locator('.result-window').getByText(username).first().waitFor();
  const text = await page.locator('.result-window').innerText();

  const fatal = problems.filter(p => p.startsWith('foreign') || p.startsWith('page error') || p.startsWith('HTTP ')
    || p.includes('Failed to load resource') || p.includes('Content Security Policy'));
  if (fatal.length > 0) throw new Error(fatal.join('; '));
  console.log(JSON.stringify({ ok: true, csp, result: text.replace(/\s+/g, ' ').slice(0, 200), problems, steps, network }));
} catch (e) {
  await report(e);
} finally {
  clearTimeout(watchdog);
  await browser.close();
}
