// The JSON API under /api/v1. Reads use the session cookie; writes also send the CSRF token
// from the mitra_csrf cookie (the server refuses cookie writes without it).

import {t} from './i18n.js';

export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? t('The server answered {status}.', {status}));
    this.status = status;
    this.code = error?.code ?? 'error';
    this.field = error?.field ?? null;
  }
}

// Thrown when the server cannot be reached at all (offline, or mitra serve stopped).
export class Unreachable extends Error {
  constructor() {
    super(t('mitra cannot reach its server right now.'));
  }
}

function csrfToken() {
  const match = /(?:^|;\s*)mitra_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : '';
}

export async function request(method, path, {body, headers = {}, raw = false} = {}) {
  const init = {method, headers: {...headers}, credentials: 'same-origin', cache: 'no-store'};
  if (method !== 'GET' && method !== 'HEAD') init.headers['X-CSRF-Token'] = csrfToken();
  if (body !== undefined) {
    if (typeof body === 'string') {
      init.body = body;
    } else {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }
  }
  let response;
  try {
    response = await fetch(`/api/v1${path}`, init);
  } catch {
    throw new Unreachable();
  }
  if (raw && response.ok) return response;
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json?.error);
    if (response.status === 401) window.dispatchEvent(new CustomEvent('mitra:unauthorized'));
    throw error;
  }
  return json;
}

export const get = (path) => request('GET', path);
export const post = (path, body, headers) => request('POST', path, {body: body ?? {}, headers});
export const put = (path, body) => request('PUT', path, {body});
export const patch = (path, body) => request('PATCH', path, {body});
export const del = (path, body) => request('DELETE', path, body === undefined ? {} : {body});

// A fresh key for a create, so that a retry stores it once: a UUID of version 7 (RFC 9562), the
// time first, so that later keys sort later (docs/server.md, "Idempotency").
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const h = Date.now().toString(16).padStart(12, '0') +
    Array.from(bytes.subarray(6), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-${(8 + (bytes[8] & 3)).toString(16)}${h.slice(17, 20)}-${h.slice(20)}`;
}
