// One job: progress, the summary chart, downloads, pause / resume / delete, and its results page
// by page (GET .../result?pos=K).
import { deleteJob, downloadCsv, getJob, getResults, pauseJob, resumeJob } from './api.js';
import { summaryChart } from './chart.js';
import { CLASSIFIERS, badge, codeChips } from './codes.js';
import { confirmAction } from './confirm.js';
import { el, formatNumber, formatTime, replaceChildren } from './dom.js';
import { isActive, jobTitle, progressBar, stateBadge, updateProgress } from './job_widgets.js';
import { makePoller } from './poller.js';

export const PAGE_SIZE = 100;
const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 4000;

const DOWNLOADS = [
  { filters: ['valid'], text: 'Valid' },
  { filters: ['valid', 'risky'], text: 'Valid + risky' },
  { filters: ['risky'], text: 'Risky' },
  { filters: ['invalid'], text: 'Invalid' },
  { filters: [], text: 'All rows' },
];

/** Renders job `id` at row `pos`; returns a function that stops its timers. */
export function renderJob(main, { id, pos, notify, navigate }) {
  let job = null;
  let busy = false;
  let shownProgress = ''; // state and checked count when the results page was last fetched
  const poller = makePoller(refresh);

  const title = el('h1', { id: 'job-title' });
  const meta = el('p', { class: 'muted', id: 'job-meta' });
  const state = el('span', { id: 'job-state' });
  const progressSlot = el('div', { class: 'progress-slot' });
  const failure = el('p', { class: 'form-error', id: 'job-error', hidden: true });
  const pauseButton = el('button', { type: 'button', id: 'pause-button', text: 'Pause', hidden: true, onclick: () => act(pauseJob) });
  const resumeButton = el('button', { type: 'button', id: 'resume-button', text: 'Resume', hidden: true, onclick: () => act(resumeJob) });
  const deleteButton = el('button', { type: 'button', id: 'delete-button', class: 'danger', text: 'Delete', onclick: remove });
  const chartSlot = el('div', { id: 'summary' });
  const downloads = el('div', { class: 'actions wrap', id: 'downloads' });
  for (const d of DOWNLOADS) {
    downloads.append(el('button', {
      type: 'button', 'data-filters': d.filters.join(','), text: d.text,
      onclick: (event) => download(event.currentTarget, d.filters),
    }));
  }
  const resultsBody = el('tbody');
  const pageInfo = el('span', { id: 'page-info', class: 'muted' });
  const previous = el('a', { class: 'button', id: 'page-previous', text: '← Previous' });
  const next = el('a', { class: 'button', id: 'page-next', text: 'Next →' });

  main.replaceChildren(
    el('p', {}, el('a', { href: '#/jobs', text: '← All jobs' })),
    el('div', { class: 'job-header' },
      el('div', {}, title, meta),
      el('div', { class: 'actions' }, pauseButton, resumeButton, deleteButton)),
    el('section', { class: 'card' },
      el('div', { class: 'state-line' }, state, progressSlot),
      failure),
    el('div', { class: 'columns' },
      el('section', { class: 'card' }, el('h2', { text: 'Summary' }), chartSlot),
      el('section', { class: 'card' },
        el('h2', { text: 'Download the results' }),
        el('p', { class: 'muted', text: 'A CSV with one row per address in the order of your file: the verdict, the score, the reasons and the mail server\u2019s reply.' }),
        downloads)),
    el('section', { class: 'card' },
      el('h2', { text: 'Results' }),
      el('div', { class: 'table-wrap' },
        el('table', { class: 'results', id: 'results-table' },
          el('thead', {}, el('tr', {},
            el('th', { scope: 'col', class: 'num wide-only', text: 'Row' }),
            el('th', { scope: 'col', text: 'Address' }),
            el('th', { scope: 'col', text: 'Verdict' }),
            el('th', { scope: 'col', class: 'num wide-only', text: 'Score' }),
            el('th', { scope: 'col', text: 'Reasons' }),
            el('th', { scope: 'col', class: 'optional', text: 'Mail server reply' }))),
          resultsBody)),
      el('div', { class: 'pager' }, previous, pageInfo, next)),
  );

  function show(current) {
    job = current;
    title.textContent = jobTitle(job);
    document.title = `${jobTitle(job)} · mailsift`;
    meta.textContent = [
      `#${job.id}`,
      `${formatNumber(job.emailCount)} rows`,
      `source: ${job.source}`,
      `created ${formatTime(job.createdAt)}`,
      job.finishedAt ? `finished ${formatTime(job.finishedAt)}` : null,
    ].filter(Boolean).join(' · ');
    replaceChildren(state, stateBadge(job));
    if (!progressSlot.firstChild) progressSlot.append(progressBar(job));
    else updateProgress(progressSlot.firstChild, job);
    failure.hidden = job.state !== 'failed';
    failure.textContent = job.state === 'failed' ? job.error || 'The job failed.' : '';
    pauseButton.hidden = !isActive(job);
    resumeButton.hidden = job.state !== 'paused';
    replaceChildren(chartSlot, summaryChart(job));
    const last = Math.min(pos + PAGE_SIZE, job.emailCount);
    if (!job.emailCount) pageInfo.textContent = 'No rows';
    else if (pos >= job.emailCount) pageInfo.textContent = `Past the last row (${formatNumber(job.emailCount)})`;
    else pageInfo.textContent = `Rows ${formatNumber(pos + 1)}–${formatNumber(last)} of ${formatNumber(job.emailCount)}`;
    setLink(previous, pos > 0 ? Math.max(0, pos - PAGE_SIZE) : null);
    setLink(next, pos + PAGE_SIZE < job.emailCount ? pos + PAGE_SIZE : null);
  }

  function setLink(link, target) {
    if (target === null) {
      link.removeAttribute('href');
      link.setAttribute('aria-disabled', 'true');
    } else {
      link.href = `#/jobs/${job.id}?pos=${target}`;
      link.removeAttribute('aria-disabled');
    }
  }

  function showResults(rows) {
    const body = rows.slice(0, PAGE_SIZE).map((row, i) => {
      const r = row.result;
      return el('tr', { 'data-pos': pos + i },
        el('td', { class: 'num muted wide-only', text: formatNumber(pos + i + 1) }),
        el('td', { class: 'email', text: row.email }),
        el('td', {}, r ? badge(r.classifier, CLASSIFIERS[r.classifier] ? CLASSIFIERS[r.classifier].title : r.classifier)
          : el('span', { class: 'muted', text: 'not checked yet' })),
        el('td', { class: 'num wide-only score', text: r ? String(r.score) : '' }),
        el('td', {}, r ? codeChips(r.description) : ''),
        el('td', { class: 'optional small', text: r ? r.smtpResponse : '' }));
    });
    if (body.length === 0) {
      body.push(el('tr', {}, el('td', { colSpan: 6, class: 'muted', text: 'No rows on this page.' })));
    }
    resultsBody.replaceChildren(...body);
  }

  async function refresh() {
    try {
      const current = await getJob(id);
      if (poller.stopped) return null;
      show(current);
      // The rows only change while rows get checked: fetch the page again only then.
      const progress = `${current.state}/${current.summary ? current.summary.totalEmails : 0}`;
      if (progress !== shownProgress) {
        const rows = await getResults(id, pos);
        if (poller.stopped) return null;
        showResults(rows);
        shownProgress = progress;
      }
    } catch (e) {
      if (poller.stopped) return null;
      if (e.status === 404) {
        poller.stop();
        navigate('#/jobs', 'This job does not exist (any more). It may have been deleted.');
        return null;
      }
      if (e.status !== 401) notify(e.message);
    }
    return job && isActive(job) ? FAST_POLL_MS : SLOW_POLL_MS;
  }

  async function act(call) {
    if (busy) return;
    busy = true;
    try {
      show(await call(id));
    } catch (e) {
      notify(e.message);
    } finally {
      busy = false;
    }
    poller.run();
  }

  async function remove() {
    const name = job ? jobTitle(job) : `Job #${id}`;
    const sure = await confirmAction(`Delete \u201c${name}\u201d and all its results? This cannot be undone.`);
    if (!sure) return;
    try {
      await deleteJob(id);
      poller.stop();
      navigate('#/jobs', `Deleted \u201c${name}\u201d.`, 'info');
    } catch (e) {
      notify(e.message);
    }
  }

  async function download(button, filters) {
    button.disabled = true;
    try {
      await downloadCsv(id, filters);
    } catch (e) {
      notify(e.message);
    } finally {
      button.disabled = false;
    }
  }

  poller.run();
  return poller.stop;
}
