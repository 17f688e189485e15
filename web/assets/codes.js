// What the verdicts and description codes of a result mean, in words (API.md, "Validation result").
import { el } from './dom.js';

export const CLASSIFIERS = {
  valid: { title: 'Valid', text: 'The mail server accepted this mailbox. Safe to send.' },
  risky: {
    title: 'Risky',
    text: 'The address may work, but something is uncertain (see the reasons). Send with care, or check again later.',
  },
  invalid: { title: 'Invalid', text: 'Mail to this address will bounce. Remove it from the list.' },
};

export const CODES = {
  syntax: { title: 'Bad syntax', text: 'The address is not well formed, so no mail can reach it.' },
  domain: { title: 'Domain does not exist', text: 'The domain is not registered in DNS.' },
  invalid_mx: {
    title: 'No mail server',
    text: 'The domain publishes no usable mail server (no MX and no address, a null MX, or an MX host without an address).',
  },
  mailbox: { title: 'Mailbox does not exist', text: 'The mail server refused this recipient for good.' },
  disabled: { title: 'Account disabled', text: 'The mail server says this mailbox has been disabled.' },
  mailbox_full: { title: 'Mailbox full', text: 'The mailbox exists but is full; mail bounces until it is emptied.' },
  role_email: {
    title: 'Role address',
    text: 'A shared address such as admin@ or info@, read by several people or by nobody.',
  },
  disposable: { title: 'Disposable provider', text: 'A throwaway address service; the address will likely be gone soon.' },
  blacklist: { title: 'On a blocklist', text: 'The address or its domain is on a blocklist configured on this server.' },
  catch_all: {
    title: 'Catch-all domain',
    text: 'The mail server accepts any recipient, so it cannot tell whether this mailbox exists.',
  },
  typo: { title: 'Likely typo', text: 'The domain looks like a misspelling of a well-known provider.' },
  greylisted: { title: 'Greylisted', text: 'The mail server asked to try again later and did not accept in time.' },
  smtp_timeout: { title: 'Mail server timed out', text: 'The mail server did not answer in time.' },
  smtp_blocked: {
    title: 'Check blocked',
    text: 'The mail server refused our check for policy reasons (for example our IP address), not because of the mailbox.',
  },
  no_connect: { title: 'Could not connect', text: 'No connection could be made to the domain\u2019s mail servers.' },
  mailbox_unverified: {
    title: 'Not verified',
    text: 'The mailbox could not be checked this time. The address is risky, not invalid: check it again later.',
  },
};

/** The short words for a code; the code itself when it is not known here. */
export function codeTitle(code) {
  return CODES[code] ? CODES[code].title : code;
}

/** A list of chips, one per code, each with its explanation as a tooltip. */
export function codeChips(codes) {
  const list = el('ul', { class: 'chips' });
  for (const code of codes || []) {
    list.append(el('li', { class: 'chip', title: CODES[code] ? CODES[code].text : '', 'data-code': code, text: codeTitle(code) }));
  }
  return list;
}

/** A coloured badge for a classifier (valid, risky, invalid) or a job state. */
export function badge(kind, text) {
  return el('span', { class: `badge badge-${kind}`, text });
}

/** The page that explains every verdict and code. */
export function renderCodesPage(main) {
  const verdicts = el('dl', { class: 'definitions' });
  for (const [name, { title, text }] of Object.entries(CLASSIFIERS)) {
    verdicts.append(el('dt', {}, badge(name, title)), el('dd', { text }));
  }
  const codes = el('dl', { class: 'definitions' });
  for (const [code, { title, text }] of Object.entries(CODES)) {
    codes.append(el('dt', {}, el('strong', { text: title }), ' ', el('code', { text: code })), el('dd', { text }));
  }
  main.replaceChildren(
    el('h1', { text: 'What the results mean' }),
    el('section', { class: 'card' },
      el('h2', { text: 'Verdicts' }),
      el('p', { text: 'Every address gets one of three verdicts and a score from 0 (will bounce) to 10 (safe). An address that could not be checked is never called invalid: it is risky, so it can be checked again later.' }),
      verdicts),
    el('section', { class: 'card' },
      el('h2', { text: 'Reasons' }),
      el('p', { text: 'The reasons behind a verdict. The CSV download lists them in the description column, separated by semicolons.' }),
      codes),
  );
}
