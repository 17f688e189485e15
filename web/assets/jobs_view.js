// The jobs page: drop a file to start a job, and the account's jobs with live progress.
import { listJobs, uploadJob } from './api.js';
import { el, formatNumber, formatTime, replaceChildren } from './dom.js';
import { isActive, jobTitle, progressBar, stateBadge, updateProgress } from './job_widgets.js';
import { makePoller } from './poller.js';

const ACCEPTED = '.csv,.txt,.tsv,.xlsx,.xls';
const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 5000;

/** Renders the page into `main`; returns a function that stops its timers. */
export function renderJobs(main, { notify }) {
  const rows = new Map(); // job id -> { row }
  const poller = makePoller(refresh);

  const tbody = el('tbody');
  const empty = el('p', { class: 'muted', id: 'no-jobs', text: 'No jobs yet. Drop a file above to start one.', hidden: true });
  const table = el('div', { class: 'table-wrap' },
    el('table', { class: 'jobs', id: 'jobs-table' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: 'Job' }),
        el('th', { scope: 'col', text: 'State' }),
        el('th', { scope: 'col', class: 'col-progress', text: 'Progress' }),
        el('th', { scope: 'col', class: 'num', text: 'Valid' }),
        el('th', { scope: 'col', class: 'num', text: 'Risky' }),
        el('th', { scope: 'col', class: 'num', text: 'Invalid' }),
        el('th', { scope: 'col', class: 'optional', text: 'Created' }))),
      tbody));

  main.replaceChildren(
    el('h1', { text: 'Jobs' }),
    uploadCard({ notify, onCreated: poller.run }),
    el('section', { class: 'card' }, el('h2', { text: 'Your jobs' }), empty, table),
  );

  function rowFor(job) {
    const link = el('a', { class: 'job-link', href: `#/jobs/${job.id}` });
    const row = el('tr', { 'data-job-id': job.id },
      el('td', { class: 'job-title' }, link, el('div', { class: 'muted small job-id' })),
      el('td', { class: 'job-state-cell' }),
      el('td', { class: 'col-progress' }, progressBar(job)),
      el('td', { class: 'num', 'data-count': 'valid' }),
      el('td', { class: 'num', 'data-count': 'risky' }),
      el('td', { class: 'num', 'data-count': 'invalid' }),
      el('td', { class: 'optional job-created' }));
    return row;
  }

  function fillRow(row, job) {
    row.querySelector('.job-link').textContent = jobTitle(job);
    row.querySelector('.job-id').textContent = `#${job.id} · ${formatNumber(job.emailCount)} rows`;
    replaceChildren(row.querySelector('.job-state-cell'), stateBadge(job));
    updateProgress(row.querySelector('.progress'), job);
    const s = job.summary || {};
    row.querySelector('[data-count="valid"]').textContent = formatNumber(s.deliverableCount);
    row.querySelector('[data-count="risky"]').textContent = formatNumber(s.riskyCount);
    row.querySelector('[data-count="invalid"]').textContent = formatNumber(s.undeliverableCount);
    row.querySelector('.job-created').textContent = formatTime(job.createdAt);
  }

  async function refresh() {
    let jobs = [];
    try {
      jobs = await listJobs();
    } catch (e) {
      if (poller.stopped) return null;
      if (e.status !== 401) notify(e.message);
      return SLOW_POLL_MS;
    }
    if (poller.stopped) return null;
    const seen = new Set();
    let previous = null;
    for (const job of jobs) {
      seen.add(job.id);
      let entry = rows.get(job.id);
      if (!entry) {
        entry = { row: rowFor(job) };
        rows.set(job.id, entry);
      }
      fillRow(entry.row, job);
      // Newest first, as the server lists them; insert only when out of place.
      const expectedNext = previous ? previous.nextSibling : tbody.firstChild;
      if (entry.row !== expectedNext) tbody.insertBefore(entry.row, expectedNext);
      previous = entry.row;
    }
    for (const [id, entry] of rows) {
      if (!seen.has(id)) {
        entry.row.remove();
        rows.delete(id);
      }
    }
    empty.hidden = jobs.length > 0;
    table.hidden = jobs.length === 0;
    return jobs.some(isActive) ? FAST_POLL_MS : SLOW_POLL_MS;
  }

  poller.run();
  return poller.stop;
}

/** The upload form: a drop zone (or file chooser), a label, and upload progress. */
function uploadCard({ notify, onCreated }) {
  let chosen = null;
  const input = el('input', { type: 'file', id: 'file-input', accept: ACCEPTED, class: 'visually-hidden' });
  const fileName = el('span', { class: 'file-name', id: 'file-name', text: 'No file chosen' });
  const zone = el('label', { class: 'dropzone', id: 'dropzone', for: 'file-input' },
    el('strong', { text: 'Drop a CSV or Excel file here' }),
    el('span', { class: 'muted', text: 'or click to choose one (.csv, .xlsx, .xls). The column headed "email" is checked, else the first column.' }),
    fileName);
  const label = el('input', { id: 'job-label', name: 'label', type: 'text', maxLength: 200, placeholder: 'e.g. Newsletter, March' });
  const submit = el('button', { type: 'submit', class: 'primary', id: 'upload-button', text: 'Start checking', disabled: true });
  const status = el('p', { class: 'upload-status', id: 'upload-status', role: 'status' });
  const bar = el('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true });
  const form = el('form', { class: 'card upload', id: 'upload-form', novalidate: true },
    el('h2', { text: 'New job' }),
    input, zone,
    el('label', { for: 'job-label', text: 'Label (optional)' }),
    label,
    el('div', { class: 'actions' }, submit),
    bar, status);

  function choose(file) {
    chosen = file || null;
    fileName.textContent = chosen ? `${chosen.name} (${formatBytes(chosen.size)})` : 'No file chosen';
    zone.classList.toggle('has-file', Boolean(chosen));
    submit.disabled = !chosen;
    if (chosen && !label.value) label.value = chosen.name.replace(/\.[^.]+$/, '');
  }

  input.addEventListener('change', () => choose(input.files[0]));
  for (const name of ['dragenter', 'dragover']) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const files = event.dataTransfer ? event.dataTransfer.files : null;
    if (files && files.length > 0) choose(files[0]);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!chosen) return;
    submit.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = `Uploading ${chosen.name}…`;
    try {
      const id = await uploadJob(chosen, label.value.trim(), (sent, total) => {
        bar.value = total ? Math.floor((sent * 100) / total) : 0;
      });
      status.textContent = '';
      status.append('Job ', el('a', { href: `#/jobs/${id}`, text: `#${id}` }), ' started. Its progress shows below.');
      input.value = '';
      label.value = '';
      choose(null);
      onCreated();
    } catch (e) {
      status.textContent = '';
      notify(e.message);
      submit.disabled = !chosen;
    } finally {
      bar.hidden = true;
    }
  });
  return form;
}

function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
