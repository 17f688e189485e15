// Sign in: the user pastes an API key; it is checked against the server, then kept in the browser.
import { checkKey, storeKey } from './api.js';
import { el } from './dom.js';

/** Renders the sign-in form; calls `onSignedIn()` once a key was accepted and stored. */
export function renderSignIn(main, { message = '', onSignedIn }) {
  const error = el('p', { class: 'form-error', id: 'signin-error', role: 'alert', hidden: !message, text: message });
  const key = el('input', {
    id: 'api-key', name: 'key', type: 'password', autocomplete: 'off', spellcheck: false,
    required: true, placeholder: 'msk_…', 'aria-describedby': 'signin-help',
  });
  const remember = el('input', { id: 'remember', type: 'checkbox' });
  const submit = el('button', { type: 'submit', class: 'primary', text: 'Sign in' });
  const form = el('form', { class: 'card signin', id: 'signin-form', novalidate: true },
    el('h1', { text: 'Sign in' }),
    el('p', { id: 'signin-help', class: 'muted' },
      'Paste your API key. ', el('code', { text: 'scripts/run' }), ' prints one on the first start. Lost it? ',
      el('code', { text: 'mailsift-server keys create --account default --config config/mailsift.yaml' }),
      ' makes another (the binary is in build-release/bin after scripts/run).'),
    el('label', { for: 'api-key', text: 'API key' }),
    key,
    el('label', { class: 'inline' }, remember, ' Remember me on this device'),
    error,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      showError('Paste your API key first.');
      return;
    }
    submit.disabled = true;
    try {
      await checkKey(value);
      storeKey(value, remember.checked);
      onSignedIn();
    } catch (e) {
      showError(e.status === 401
        ? 'This key was not accepted. Check that you copied all of it, or create a new one with "mailsift-server keys create".'
        : e.message);
    } finally {
      submit.disabled = false;
    }
  });
  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    key.focus();
  }
  document.title = 'Sign in · mailsift';
  main.replaceChildren(form);
  key.focus();
}
