// The mailsift API as the dashboard uses it. The API key lives only in the browser (sessionStorage,
// or localStorage when the user asks to be remembered) and travels in the Authorization header of
// each request; the server never sets a cookie. Every call is same-origin.

const KEY_NAME = 'mailsift.apiKey';
const JOBS = '/v1/email/validate/job';

/** Thrown for a non-2xx answer; `message` is the server's sentence when it sent one. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_NAME) || localStorage.getItem(KEY_NAME) || '';
}

export function storeKey(key, remember) {
  forgetKey();
  (remember ? localStorage : sessionStorage).setItem(KEY_NAME, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_NAME);
  localStorage.removeItem(KEY_NAME);
}

let onUnauthorized = () => {};
/** Called (once per failing request) when the server answers 401 to the stored key. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

function authHeaders(key) {
  return { Authorization: `Bearer ${key}` };
}

async function errorFrom(response) {
  let message = `The server answered ${response.status} ${response.statusText}.`;
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string' && body.error) message = body.error;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message);
}

async function call(path, { method = 'GET', body, key = storedKey(), json = true } = {}) {
  const headers = authHeaders(key);
  let payload = body;
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'omit' });
  } catch {
    throw new ApiError(0, 'The server could not be reached. Check that it is running, then try again.');
  }
  if (response.status === 401 && key === storedKey()) onUnauthorized();
  if (!response.ok) throw await errorFrom(response);
  return json ? response.json() : response;
}

/** Checks a key without storing it: resolves when the server accepts it. */
export async function checkKey(key) {
  await call(JOBS, { key });
}

export const listJobs = () => call(JOBS);
export const getJob = (id) => call(`${JOBS}/${encodeURIComponent(id)}`);
export const getResults = (id, pos) => call(`${JOBS}/${encodeURIComponent(id)}/result?pos=${pos}`);
export const pauseJob = (id) => call(`${JOBS}/${encodeURIComponent(id)}/pause`, { method: 'POST' });
export const resumeJob = (id) => call(`${JOBS}/${encodeURIComponent(id)}/resume`, { method: 'POST' });
export const deleteJob = (id) => call(`${JOBS}/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const validate = (emails) => call('/v1/email/validate', { method: 'POST', body: { emails } });

/**
 * Fetches a job's CSV (only the classifiers in `filters`, all when empty) with the key in the
 * header, and saves it through a Blob URL. Resolves with the file name once the save started.
 */
export async function downloadCsv(id, filters) {
  const query = filters.map((f) => `filters=${encodeURIComponent(f)}`).join('&');
  const path = `${JOBS}/${encodeURIComponent(id)}/download${query ? `?${query}` : ''}`;
  const response = await call(path, { json: false });
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') || '';
  const match = /filename="([A-Za-z0-9._-]+)"/.exec(disposition);
  const name = match ? match[1] : `mailsift-job-${id}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/**
 * Uploads a file as a new job (`source` is excel for .xlsx/.xls, else file). `onProgress(sent,
 * total)` follows the upload. Resolves with the new job's id.
 */
export function uploadJob(file, label, onProgress) {
  const source = /\.(xlsx|xls)$/i.test(file.name) ? 'excel' : 'file';
  const form = new FormData();
  form.append('label', label);
  form.append('source', source); // before the file, so the server can stream it straight in
  form.append('file', file, file.name);
  const key = storedKey();
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', JOBS);
    request.setRequestHeader('Authorization', `Bearer ${key}`);
    request.responseType = 'json';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    });
    request.addEventListener('load', () => {
      const body = request.response;
      if (request.status === 201 && body && Number.isInteger(body.id)) {
        resolve(body.id);
        return;
      }
      if (request.status === 401 && key === storedKey()) onUnauthorized();
      const sentence = body && typeof body.error === 'string' && body.error
        ? body.error
        : `The server answered ${request.status}.`;
      reject(new ApiError(request.status, sentence));
    });
    request.addEventListener('error', () => {
      reject(new ApiError(0, 'The upload was cut off. Check that the server is running, then try again.'));
    });
    request.send(form);
  });
}
