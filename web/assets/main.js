// The dashboard's entry point: hash routes (#/jobs, #/jobs/ID?pos=K, #/check, #/codes), sign-in
// and sign-out, and the notice bar for errors.
import { forgetKey, setUnauthorizedHandler, storedKey } from './api.js';
import { renderCheck } from './check_view.js';
import { renderCodesPage } from './codes.js';
import { renderJob } from './job_view.js';
import { renderJobs } from './jobs_view.js';
import { renderSignIn } from './signin_view.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const notice = document.getElementById('notice');
let stopView = () => {};
let signInMessage = '';

/** Shows a sentence in the notice bar ('' hides it); kind is 'error' or 'info'. */
function notify(text, kind = 'error') {
  notice.textContent = text;
  notice.className = `notice notice-${kind}`;
  notice.hidden = !text;
}

/** Goes to `hash`; `message` (with its kind) is shown on the page that opens. */
function navigate(hash, message = '', kind = 'error') {
  carried = { text: message, kind };
  if (location.hash === hash) showRoute();
  else location.hash = hash;
}

let carried = { text: '', kind: 'error' };
function showRoute() {
  notify(carried.text, carried.kind);
  carried = { text: '', kind: 'error' };
  route();
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/jobs';
  const [path, query = ''] = hash.split('?');
  const params = new URLSearchParams(query);
  const job = /^\/jobs\/(\d{1,18})$/.exec(path);
  if (job) {
    const pos = Number.parseInt(params.get('pos') || '0', 10);
    return { name: 'job', id: job[1], pos: Number.isFinite(pos) && pos > 0 ? pos : 0 };
  }
  if (path === '/check') return { name: 'check' };
  if (path === '/codes') return { name: 'codes' };
  return { name: 'jobs' };
}

function route() {
  stopView();
  stopView = () => {};
  window.scrollTo(0, 0);
  if (!storedKey()) {
    nav.hidden = true;
    const message = signInMessage;
    signInMessage = '';
    renderSignIn(main, {
      message,
      onSignedIn: () => {
        notify('');
        route();
      },
    });
    return;
  }
  nav.hidden = false;
  const current = parseRoute();
  for (const link of nav.querySelectorAll('[data-nav]')) {
    link.toggleAttribute('aria-current', link.dataset.nav === current.name || (current.name === 'job' && link.dataset.nav === 'jobs'));
  }
  document.title = { job: 'Job', check: 'Quick check', codes: 'What the codes mean' }[current.name] || 'Jobs';
  document.title += ' · mailsift';
  const context = { notify, navigate };
  if (current.name === 'job') stopView = renderJob(main, { ...context, id: current.id, pos: current.pos });
  else if (current.name === 'check') renderCheck(main, context);
  else if (current.name === 'codes') renderCodesPage(main);
  else stopView = renderJobs(main, context);
}

setUnauthorizedHandler(() => {
  forgetKey();
  signInMessage = 'Your key is no longer accepted (it may have been revoked). Sign in again.';
  route();
});

document.getElementById('sign-out').addEventListener('click', () => {
  forgetKey();
  notify('');
  navigate('#/jobs');
});

window.addEventListener('hashchange', showRoute);
// A file dropped beside the drop zone must not make the browser leave the page to open it.
for (const name of ['dragover', 'drop']) window.addEventListener(name, (event) => event.preventDefault());
route();
