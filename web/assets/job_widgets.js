// Pieces shared by the jobs table and the job page: the title, the state badge, the progress bar.
import { badge } from './codes.js';
import { el, formatNumber, percent } from './dom.js';

const STATE_WORDS = {
  pending: 'Waiting',
  running: 'Running',
  paused: 'Paused',
  failed: 'Failed',
  done: 'Done',
};

export function isActive(job) {
  return job.state === 'pending' || job.state === 'running';
}

/** The label, or "Job #id" when it has none. */
export function jobTitle(job) {
  return job.label ? job.label : `Job #${job.id}`;
}

export function stateBadge(job) {
  const node = badge(job.state, STATE_WORDS[job.state] || job.state);
  node.classList.add('job-state');
  node.dataset.state = job.state;
  return node;
}

/** Share of rows checked, 100 once done. */
export function progressOf(job) {
  if (job.state === 'done') return 100;
  return percent(job.summary ? job.summary.totalEmails : 0, job.emailCount);
}

/** A progress bar (role progressbar) with "N of M checked" under it; update with updateProgress. */
export function progressBar(job) {
  const fill = el('div', { class: 'bar-fill' });
  const bar = el('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 }, fill);
  const caption = el('div', { class: 'bar-caption' });
  const node = el('div', { class: 'progress' }, bar, caption);
  updateProgress(node, job);
  return node;
}

export function updateProgress(node, job) {
  const value = progressOf(job);
  const bar = node.querySelector('.bar');
  bar.setAttribute('aria-valuenow', String(value));
  bar.setAttribute('aria-label', `${value}% checked`);
  bar.dataset.state = job.state;
  node.querySelector('.bar-fill').style.width = `${value}%`;
  const done = job.summary ? job.summary.totalEmails : 0;
  node.querySelector('.bar-caption').textContent =
    `${formatNumber(done)} of ${formatNumber(job.emailCount)} checked (${value}%)`;
}
