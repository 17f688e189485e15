// The dashboard in headless chromium against the real server: sign in (a wrong key shows an
// error), upload a file and watch it finish, check the counts and the results against the API,
// download the valid rows, pause / resume / delete a larger job, the quick check, and a label with
// markup shown as text. Writes screenshots of the main pages into MAILSIFT_SCREENSHOT_DIR.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Harness, SLOW_ROWS, requiredEnv, slowKnown } from './harness.mjs';

const JOBS = '/v1/email/validate/job';
const shots = requiredEnv('MAILSIFT_SCREENSHOT_DIR');
const harness = new Harness();
let page;
let work;

// The first list: three mailboxes that exist, one that does not, a role address, a domain that
// does not exist, a catch-all domain, and two rows that are not addresses (one of them markup).
const FIRST_LIST = [
  'alice@good.test', 'bob@good.test', 'carol@good.test', 'nobody@good.test', 'info@good.test',
  'x@nowhere.test', 'someone@catchall.test', 'not-an-address', '<img src=x onerror=alert(1)>',
];
const EXPECTED = { valid: 3, risky: 2, invalid: 4 };
const HOSTILE_LABEL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

before(async () => {
  mkdirSync(shots, { recursive: true });
  await harness.start();
  work = join(harness.dir, 'files');
  mkdirSync(work);
  const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => { harness.pageErrors = [...(harness.pageErrors || []), String(error)]; });
  // Chrome reports Content-Security-Policy violations (an inline style or script of ours) on the
  // console; answers like the 401 of a wrong key show there too, as failed loads, and are expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      harness.pageErrors = [...(harness.pageErrors || []), message.text()];
    }
  });
});

after(async () => {
  await harness.stop();
});

function writeList(name, header, rows) {
  const path = join(work, name);
  writeFileSync(path, `${header}\n${rows.join('\n')}\n`);
  return path;
}

async function screenshot(name, target = page) {
  await target.screenshot({ path: join(shots, name), fullPage: true });
}

/** Waits until the jobs table shows job `id` in `state` with its bar at `value`. */
async function waitForRow(id, state, value) {
  const row = page.locator(`tr[data-job-id="${id}"]`);
  await row.locator(`.job-state[data-state="${state}"]`).waitFor({ timeout: 60_000 });
  if (value !== undefined) {
    await page.waitForFunction(
      ({ rowId, want }) => document.querySelector(`tr[data-job-id="${rowId}"] .bar`)?.getAttribute('aria-valuenow') === String(want),
      { rowId: id, want: value }, { timeout: 10_000 });
  }
  return row;
}

async function uploadThroughForm(path, label) {
  await page.locator('#file-input').setInputFiles(path);
  await page.locator('#job-label').fill(label);
  await page.locator('#upload-button').click();
  const link = page.locator('#upload-status a');
  await link.waitFor();
  return Number((await link.textContent()).replace('#', ''));
}

async function apiDownload(id, filters) {
  const query = filters.map((f) => `filters=${f}`).join('&');
  const response = await harness.api(`${JOBS}/${id}/download${query ? `?${query}` : ''}`);
  assert.equal(response.status, 200);
  return response.text();
}

let firstJob;
let slowJob;

test('a wrong key shows an error and stores nothing', async () => {
  await page.goto(`${harness.base}/`);
  await page.locator('#signin-form').waitFor();
  await screenshot('signin.png');
  await page.locator('#api-key').fill('msk_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro');
  await page.locator('#signin-form button[type=submit]').click();
  const error = page.locator('#signin-error');
  await error.waitFor({ state: 'visible' });
  assert.match(await error.textContent(), /not accepted/);
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
  assert.equal(await page.locator('#nav').isVisible(), false);
});

test('signs in with a key kept in the browser, never in a cookie', async () => {
  await page.locator('#api-key').fill(harness.key);
  await page.locator('#signin-form button[type=submit]').click();
  await page.locator('#upload-form').waitFor();
  assert.equal(await page.locator('#nav').isVisible(), true);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('mailsift.apiKey')), harness.key);
  assert.deepEqual(await page.context().cookies(), []);
  await page.locator('#no-jobs').waitFor();
});

test('uploads a CSV and the bar reaches done with the right counts', async () => {
  const path = writeList('first.csv', 'email,name', FIRST_LIST.map((e, i) => `"${e.replaceAll('"', '""')}",row ${i}`));
  firstJob = await uploadThroughForm(path, 'Spring newsletter');
  const row = await waitForRow(firstJob, 'done', 100);
  assert.equal(await row.locator('.job-link').textContent(), 'Spring newsletter');

  const job = await harness.apiJson(`${JOBS}/${firstJob}`);
  assert.equal(job.state, 'done');
  assert.equal(job.emailCount, FIRST_LIST.length);
  assert.equal(job.summary.deliverableCount, EXPECTED.valid);
  assert.equal(job.summary.riskyCount, EXPECTED.risky);
  assert.equal(job.summary.undeliverableCount, EXPECTED.invalid);
  assert.equal(await row.locator('[data-count="valid"]').textContent(), String(EXPECTED.valid));
  assert.equal(await row.locator('[data-count="risky"]').textContent(), String(EXPECTED.risky));
  assert.equal(await row.locator('[data-count="invalid"]').textContent(), String(EXPECTED.invalid));
  assert.match(await row.locator('.bar-caption').textContent(), /^9 of 9 checked \(100%\)$/);
});

test('the job page shows the chart, the results in words and markup as text', async () => {
  await page.locator(`tr[data-job-id="${firstJob}"] .job-link`).click();
  await page.waitForURL(`**/#/jobs/${firstJob}`);
  await page.locator('#results-table tbody tr[data-pos="8"] .badge').waitFor();
  assert.equal(await page.locator('#job-title').textContent(), 'Spring newsletter');
  assert.equal(await page.title(), 'Spring newsletter · mailsift');
  assert.equal(await page.locator('#summary [data-count="valid"]').textContent(), String(EXPECTED.valid));
  assert.equal(await page.locator('#summary [data-count="risky"]').textContent(), String(EXPECTED.risky));
  assert.equal(await page.locator('#summary [data-count="invalid"]').textContent(), String(EXPECTED.invalid));
  assert.equal(await page.locator('#summary [data-count="pending"]').textContent(), '0');
  assert.equal(await page.locator('#summary svg circle.ring-segment').count(), 3);

  const api = await harness.apiJson(`${JOBS}/${firstJob}/result?pos=0`);
  const rows = page.locator('#results-table tbody tr');
  assert.equal(await rows.count(), api.length);
  for (let i = 0; i < api.length; i += 1) {
    const row = rows.nth(i);
    assert.equal(await row.locator('td.email').textContent(), api[i].email);
    assert.equal(await row.locator('td.score').textContent(), String(api[i].result.score));
    assert.equal((await row.locator('.badge').textContent()).toLowerCase(), api[i].result.classifier);
    assert.deepEqual(await row.locator('.chip').evaluateAll((chips) => chips.map((c) => c.dataset.code)), api[i].result.description);
  }
  // Codes in words: the role address and the catch-all domain.
  assert.equal(await page.locator('tr[data-pos="4"] .chip[data-code="role_email"]').textContent(), 'Role address');
  assert.equal(await page.locator('tr[data-pos="6"] .chip[data-code="catch_all"]').textContent(), 'Catch-all domain');
  // The row that is markup stays text.
  assert.equal(await page.locator('tr[data-pos="8"] td.email').textContent(), '<img src=x onerror=alert(1)>');
  assert.equal(await page.locator('#results-table img').count(), 0);
  await screenshot('job.png');
});

test('the Valid button downloads exactly what the API gives', async () => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#downloads button[data-filters="valid"]').click(),
  ]);
  assert.equal(download.suggestedFilename(), `mailsift-job-${firstJob}-valid.csv`);
  const saved = readFileSync(await download.path(), 'utf8');
  const expected = await apiDownload(firstJob, ['valid']);
  assert.equal(saved, expected);
  const lines = saved.trim().split(/\r?\n/);
  assert.equal(lines.length, 1 + EXPECTED.valid);
  assert.match(lines[0], /^email,syntax,mx,mailbox,score,classifier,description,smtpResponse/);

  const [all] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('#downloads button[data-filters=""]').click(),
  ]);
  assert.equal(readFileSync(await all.path(), 'utf8'), await apiDownload(firstJob, []));
});

test('a label with markup shows as text and runs nothing', async () => {
  await page.goto(`${harness.base}/#/jobs`);
  await page.locator('#upload-form').waitFor();
  // Dropped rather than chosen, to cover the drop zone.
  const csv = 'email\nalice@good.test\n';
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    document.querySelector('#dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, csv);
  assert.equal(await page.locator('#file-name').textContent(), 'dropped.csv (22 bytes)');
  await page.locator('#job-label').fill(HOSTILE_LABEL);
  await page.locator('#upload-button').click();
  const link = page.locator('#upload-status a');
  await link.waitFor();
  const id = Number((await link.textContent()).replace('#', ''));
  const row = await waitForRow(id, 'done', 100);
  assert.equal(await row.locator('.job-link').textContent(), HOSTILE_LABEL);
  assert.equal(await page.locator('#jobs-table script, #jobs-table img').count(), 0);
  await row.locator('.job-link').click();
  await page.locator('#job-title').waitFor();
  await page.waitForFunction((label) => document.querySelector('#job-title').textContent === label, HOSTILE_LABEL);
  await page.locator('#delete-button').click();
  assert.equal(await page.locator('#confirm-text').textContent(), `Delete \u201c${HOSTILE_LABEL}\u201d and all its results? This cannot be undone.`);
  await page.locator('#confirm-ok').click();
  await page.waitForURL('**/#/jobs');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal((await harness.api(`${JOBS}/${id}`)).status, 404);
});

test('pauses and resumes a larger job, pages through its results, then deletes it', { timeout: 180_000 }, async () => {
  const emails = [];
  for (let i = 0; i < SLOW_ROWS; i += 1) emails.push(`u${i}@slow.test`);
  await page.goto(`${harness.base}/#/jobs`);
  slowJob = await uploadThroughForm(writeList('slow.csv', 'email', emails), 'Big import');
  await page.locator(`tr[data-job-id="${slowJob}"] .job-link`).click();
  await page.locator('#pause-button').waitFor({ state: 'visible' });
  // Pause once some rows are done but far from all.
  await page.waitForFunction(() => Number(document.querySelector('.progress-slot .bar')?.getAttribute('aria-valuenow')) > 0, null, { timeout: 60_000 });
  await page.locator('#pause-button').click();
  await page.locator('#job-state .job-state[data-state="paused"]').waitFor();
  await page.locator('#resume-button').waitFor({ state: 'visible' });
  assert.equal((await harness.apiJson(`${JOBS}/${slowJob}`)).state, 'paused');

  // Chunks already leased may still finish (a chunk takes about a second here); after that
  // nothing moves while paused: wait until the count held for 2 s, then check it holds 2 s more.
  let settled = -1;
  let unchanged = 0;
  for (let tries = 0; tries < 60 && unchanged < 2; tries += 1) {
    const { summary } = await harness.apiJson(`${JOBS}/${slowJob}`);
    unchanged = summary.totalEmails === settled ? unchanged + 1 : 0;
    settled = summary.totalEmails;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.equal(unchanged, 2, 'the paused job kept moving');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const paused = await harness.apiJson(`${JOBS}/${slowJob}`);
  assert.equal(paused.state, 'paused');
  assert.equal(paused.summary.totalEmails, settled);
  assert.ok(settled < SLOW_ROWS, `the job finished (${settled} rows) before it could be paused`);
  await page.waitForFunction((n) => document.querySelector('.progress-slot .bar-caption').textContent.startsWith(`${n} of`),
    new Intl.NumberFormat('en').format(settled));

  await page.locator('#resume-button').click();
  await page.locator('#pause-button').waitFor({ state: 'visible' });
  await page.locator('#job-state .job-state[data-state="done"]').waitFor({ timeout: 150_000 });
  const done = await harness.apiJson(`${JOBS}/${slowJob}`);
  const known = emails.filter((_, i) => slowKnown(i)).length;
  assert.equal(done.summary.totalEmails, SLOW_ROWS);
  assert.equal(done.summary.deliverableCount, known);
  assert.equal(done.summary.undeliverableCount, SLOW_ROWS - known);
  await page.waitForFunction(() => document.querySelector('.progress-slot .bar').getAttribute('aria-valuenow') === '100');
  assert.equal(await page.locator('#summary [data-count="valid"]').textContent(), String(known));

  // Pages of 100 rows through ?pos=.
  await page.locator('#results-table tbody tr[data-pos="99"] .badge').waitFor();
  assert.equal(await page.locator('#page-info').textContent(), `Rows 1–100 of ${SLOW_ROWS}`);
  assert.equal(await page.locator('#page-previous').getAttribute('aria-disabled'), 'true');
  const first = await harness.apiJson(`${JOBS}/${slowJob}/result?pos=0`);
  assert.deepEqual(await page.locator('#results-table td.email').allTextContents(), first.slice(0, 100).map((r) => r.email));
  await page.locator('#page-next').click();
  await page.waitForURL(`**/#/jobs/${slowJob}?pos=100`);
  await page.locator('#results-table tbody tr[data-pos="199"] .badge').waitFor();
  const second = await harness.apiJson(`${JOBS}/${slowJob}/result?pos=100`);
  assert.deepEqual(await page.locator('#results-table td.email').allTextContents(), second.slice(0, 100).map((r) => r.email));
  assert.equal(await page.locator('#page-info').textContent(), `Rows 101–200 of ${SLOW_ROWS}`);
  await page.locator('#page-previous').click();
  await page.waitForURL(`**/#/jobs/${slowJob}?pos=0`);

  await page.goto(`${harness.base}/#/jobs`);
  await waitForRow(slowJob, 'done', 100);
  await waitForRow(firstJob, 'done', 100);
  await screenshot('jobs.png');

  // Delete asks first; Cancel keeps the job.
  await page.locator(`tr[data-job-id="${slowJob}"] .job-link`).click();
  await page.locator('#delete-button').click();
  await page.locator('#confirm').waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirm-text').textContent(), /Delete “Big import” and all its results\?/);
  await page.locator('#confirm-cancel').click();
  await page.locator('#confirm').waitFor({ state: 'hidden' });
  assert.equal((await harness.api(`${JOBS}/${slowJob}`)).status, 200);
  await page.locator('#delete-button').click();
  await page.locator('#confirm-ok').click();
  await page.waitForURL('**/#/jobs');
  await page.locator('#notice').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#notice').textContent(), 'Deleted “Big import”.');
  await page.locator(`tr[data-job-id="${firstJob}"]`).waitFor();
  assert.equal(await page.locator(`tr[data-job-id="${slowJob}"]`).count(), 0);
  assert.equal((await harness.api(`${JOBS}/${slowJob}`)).status, 404);
});

test('an Excel file becomes a job read from its first sheet', async () => {
  const path = join(work, 'contacts.xls');
  // Debian's python3-xlwt lives beside /usr/bin/python3, which a python earlier in PATH may hide.
  execFileSync('/usr/bin/python3', ['-c', [
    'import sys, xlwt',
    'book = xlwt.Workbook()',
    'sheet = book.add_sheet("Contacts")',
    'for row, (name, email) in enumerate([("Name", "Email"), ("Alice", "alice@good.test"), ("Nobody", "x@nowhere.test")]):',
    '    sheet.write(row, 0, name)',
    '    sheet.write(row, 1, email)',
    'book.save(sys.argv[1])',
  ].join('\n'), path]);
  await page.goto(`${harness.base}/#/jobs`);
  const id = await uploadThroughForm(path, 'From Excel');
  await waitForRow(id, 'done', 100);
  const job = await harness.apiJson(`${JOBS}/${id}`);
  assert.equal(job.source, 'excel');
  assert.equal(job.emailCount, 2);
  assert.equal(job.summary.deliverableCount, 1);
  assert.equal(job.summary.undeliverableCount, 1);
  await harness.api(`${JOBS}/${id}`, { method: 'DELETE' });
});

test('the quick check gives the API verdicts and refuses more than 100 addresses', async () => {
  await page.locator('#nav a[data-nav="check"]').click();
  await page.locator('#check-input').fill('alice@good.test, nobody@good.test\ninfo@good.test; gmial.com@x');
  await page.locator('#check-button').click();
  await page.locator('#check-results tbody tr').nth(3).waitFor();
  const api = await harness.apiJson('/v1/email/validate', {
    method: 'POST', body: { emails: ['alice@good.test', 'nobody@good.test', 'info@good.test', 'gmial.com@x'] },
  });
  const rows = page.locator('#check-results tbody tr');
  for (let i = 0; i < api.results.length; i += 1) {
    assert.equal(await rows.nth(i).locator('td.email').textContent(), api.results[i].email);
    assert.equal((await rows.nth(i).locator('.badge').textContent()).toLowerCase(), api.results[i].result.classifier);
  }
  assert.equal(await rows.nth(0).locator('.badge').textContent(), 'Valid');
  assert.equal(await rows.nth(1).locator('.chip[data-code="mailbox"]').textContent(), 'Mailbox does not exist');

  const many = Array.from({ length: 101 }, (_, i) => `a${i}@good.test`).join('\n');
  await page.locator('#check-input').fill(many);
  await page.locator('#check-button').click();
  await page.locator('#check-error').waitFor({ state: 'visible' });
  assert.match(await page.locator('#check-error').textContent(), /That is 101 addresses; up to 100/);
});

test('the codes page explains every code', async () => {
  await page.locator('#nav a[data-nav="codes"]').click();
  await page.locator('.definitions').first().waitFor();
  const codes = await page.locator('.definitions code').allTextContents();
  for (const code of ['syntax', 'domain', 'invalid_mx', 'mailbox', 'disabled', 'mailbox_full', 'role_email', 'disposable',
    'blacklist', 'catch_all', 'typo', 'greylisted', 'smtp_timeout', 'smtp_blocked', 'no_connect', 'mailbox_unverified']) {
    assert.ok(codes.includes(code), `${code} is not explained`);
  }
});

test('the job page fits a phone-sized screen', async () => {
  const phone = await harness.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const small = await phone.newPage();
  await small.goto(`${harness.base}/`);
  await small.locator('#api-key').fill(harness.key);
  await small.locator('#signin-form button[type=submit]').click();
  await small.locator(`tr[data-job-id="${firstJob}"]`).waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'the jobs page is wider than the screen');
  await small.goto(`${harness.base}/#/jobs/${firstJob}`);
  await small.locator('#results-table tbody tr[data-pos="8"] .badge').waitFor();
  assert.ok(await small.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'the job page is wider than the screen');
  assert.equal(await small.locator('#results-table th.optional').isVisible(), false);
  assert.ok(await small.evaluate(() => {
    const table = document.querySelector('#results-table');
    return table.scrollWidth <= table.parentElement.clientWidth;
  }), 'the results table needs sideways scrolling on a phone');
  await screenshot('job-phone.png', small);
  await phone.close();
});

test('a key revoked while signed in leads back to the sign-in page', async () => {
  const made = await harness.cli('keys', 'create', '--account', 'browser');
  const key = made.stdout.trim();
  const id = /key id (\d+)/.exec(made.stderr)[1];
  const context = await harness.browser.newContext();
  const other = await context.newPage();
  await other.goto(`${harness.base}/`);
  await other.locator('#api-key').fill(key);
  await other.locator('#remember').check();
  await other.locator('#signin-form button[type=submit]').click();
  await other.locator(`tr[data-job-id="${firstJob}"]`).waitFor();
  assert.equal(await other.evaluate(() => localStorage.getItem('mailsift.apiKey')), key);
  await harness.cli('keys', 'revoke', id);
  await other.locator('#signin-error').waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(await other.locator('#signin-error').textContent(), /no longer accepted/);
  assert.equal(await other.evaluate(() => localStorage.length + sessionStorage.length), 0);
  await context.close();
});

test('signing out forgets the key, and the page ran without errors', async () => {
  await page.locator('#sign-out').click();
  await page.locator('#signin-form').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0);
  assert.deepEqual(harness.pageErrors || [], []);
});
