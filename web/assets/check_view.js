// Quick check: up to 100 addresses checked at once through POST /v1/email/validate.
import { validate } from './api.js';
import { CLASSIFIERS, badge, codeChips } from './codes.js';
import { el } from './dom.js';

export const MAX_ADDRESSES = 100;

/** Splits pasted text into addresses: commas, semicolons, spaces and new lines separate them. */
export function splitAddresses(text) {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

export function renderCheck(main, { notify }) {
  const input = el('textarea', {
    id: 'check-input', rows: 6, spellcheck: false,
    placeholder: 'someone@example.com, another@example.org',
  });
  const count = el('span', { class: 'muted', id: 'check-count', text: '0 addresses' });
  const submit = el('button', { type: 'submit', class: 'primary', id: 'check-button', text: 'Check' });
  const error = el('p', { class: 'form-error', id: 'check-error', role: 'alert', hidden: true });
  const results = el('tbody');
  const table = el('div', { class: 'table-wrap', hidden: true },
    el('table', { class: 'results', id: 'check-results' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', text: 'Address' }),
        el('th', { scope: 'col', text: 'Verdict' }),
        el('th', { scope: 'col', class: 'num', text: 'Score' }),
        el('th', { scope: 'col', text: 'Reasons' }),
        el('th', { scope: 'col', class: 'optional', text: 'Mail server reply' }))),
      results));
  const form = el('form', { class: 'card', id: 'check-form', novalidate: true },
    el('label', { for: 'check-input', text: `Up to ${MAX_ADDRESSES} addresses, separated by commas, spaces or new lines` }),
    input,
    el('div', { class: 'actions' }, submit, count),
    error);

  input.addEventListener('input', () => {
    const n = splitAddresses(input.value).length;
    count.textContent = `${n} address${n === 1 ? '' : 'es'}`;
    count.classList.toggle('over', n > MAX_ADDRESSES);
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const emails = splitAddresses(input.value);
    error.hidden = true;
    if (emails.length === 0) return showError('Type or paste at least one address.');
    if (emails.length > MAX_ADDRESSES) {
      return showError(`That is ${emails.length} addresses; up to ${MAX_ADDRESSES} can be checked here at once. For more, upload a file on the Jobs page.`);
    }
    submit.disabled = true;
    submit.textContent = 'Checking…';
    try {
      const answer = await validate(emails);
      results.replaceChildren(...answer.results.map(resultRow));
      table.hidden = false;
    } catch (e) {
      if (e.status !== 401) showError(e.message);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Check';
    }
    return undefined;
  });

  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    notify('');
  }

  main.replaceChildren(el('h1', { text: 'Quick check' }), form, table);
  input.focus();
}

function resultRow({ email, result }) {
  const reasons = codeChips(result.description);
  if (result.suggestion) {
    reasons.append(el('li', { class: 'chip chip-suggestion', text: `Did you mean ${result.suggestion}?` }));
  }
  return el('tr', { 'data-email': email },
    el('td', { class: 'email', text: email }),
    el('td', {}, badge(result.classifier, CLASSIFIERS[result.classifier] ? CLASSIFIERS[result.classifier].title : result.classifier)),
    el('td', { class: 'num', text: String(result.score) }),
    el('td', {}, reasons),
    el('td', { class: 'optional small', text: result.smtpResponse }));
}
