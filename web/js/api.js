// The one place that talks to the API: fetch, the session and problem+json → ApiError with
// the failing fields.
//
// The session: the access token lives in this page's memory only. The refresh token is an
// HttpOnly cookie that scripts never see, sent only to /api/v1/auth/refresh; every page
// (and every tab) gets its own access token from it when it opens, so a sign-in spans the
// browser's tabs. localStorage holds no secret, only the hint that this browser is signed
// in, so pages for the public make no refresh request.

import { language } from './i18n.js';

const BASE = '/api/v1';
const SIGNED_IN = 'utblick.signedIn';

/** An error answer from the API, carrying its RFC 9457 problem document. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code || 'unknown';
    this.problem = problem || null;
    /** Field errors keyed by field name, for showing next to form fields. */
    this.fields = Object.fromEntries((problem?.errors || []).map((e) => [e.field, e.message]));
  }
}

/** This page's session ({access_token, expires_in, user}), in memory only, or null. */
let current = null;

function signedIn(tokens) {
  current = tokens;
  localStorage.setItem(SIGNED_IN, '1');
}

export function clearSession() {
  current = null;
  localStorage.removeItem(SIGNED_IN);
}

/** The signed-in user, or null. */
export function currentUser() {
  return current?.user || null;
}

/**
 * Whether the signed-in person may start or open `what` (`edit_register`, `manage_users`, …),
 * as the server's rules say in `/me`'s `may`. What one may do with a record is in its `can`.
 */
export function may(what) {
  return Boolean(current?.user?.may?.[what]);
}

/**
 * A path on this site to go to after signing in, from `?next=`: anything that would lead to
 * another site (`//host`, `/\host`, a tab or newline that browsers drop) gives '/'.
 */
export function safeNext(params = new URLSearchParams(location.search)) {
  const next = params.get('next');
  if (!next || !next.startsWith('/')) return '/';
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : '/';
  } catch {
    return '/';
  }
}

/** Sends the user to the sign-in page, to come back here afterwards. */
export function goToLogin() {
  const next = location.pathname + location.search;
  location.assign(`/login.html?next=${encodeURIComponent(next)}`);
}

async function parse(res) {
  const type = res.headers.get('content-type') || '';
  return type.includes('json') ? res.json().catch(() => null) : null;
}

async function send(method, path, { body, file, headers = {}, auth = true } = {}) {
  // The server's messages come in the page's language.
  const h = { Accept: 'application/json', 'Accept-Language': language(), ...headers };
  // A file goes as it is, with its own type (an import without one is taken as CSV, unless
  // the caller says otherwise); anything else as JSON.
  if (file) h['Content-Type'] = file.type || headers['Content-Type'] || 'text/csv';
  else if (body !== undefined) h['Content-Type'] = 'application/json';
  if (auth && current?.access_token) h.Authorization = `Bearer ${current.access_token}`;
  const payload = file ?? (body === undefined ? undefined : JSON.stringify(body));
  return fetch(BASE + path, { method, headers: h, body: payload });
}

/** Runs `fn` while no other tab of this browser refreshes (each refresh spends the cookie). */
function oneTabAtATime(fn) {
  return navigator.locks?.request ? navigator.locks.request('utblick-refresh', fn) : fn();
}

let refreshing = null;

/** Gets a new access token from the refresh cookie once; false when the session is over. */
async function refresh() {
  refreshing ??= oneTabAtATime(async () => {
    const res = await fetch(`${BASE}/auth/refresh`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Accept-Language': language(), 'X-Utblick-Csrf': '1' },
      credentials: 'same-origin',
    });
    if (!res.ok) {
      clearSession();
      return false;
    }
    signedIn(await res.json());
    return true;
  }).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

let restoring = null;

/** This page's sign-in, restored from the cookie once (when the browser has one). */
export function restoreSession() {
  restoring ??= localStorage.getItem(SIGNED_IN) ? refresh() : Promise.resolve(false);
  return restoring;
}

/** Runs `start` once the page has loaded and knows who is signed in. */
export function whenReady(start) {
  const go = () => restoreSession().catch(() => false).then(() => start());
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
  else go();
}

/**
 * Calls the API and returns {data, etag}. An expired access token is refreshed once; when
 * the session is over, a page that needs sign-in goes to the sign-in page.
 */
export async function request(method, path, options = {}) {
  let res = await send(method, path, options);
  if (res.status === 401 && options.auth !== false && current) {
    if (await refresh()) res = await send(method, path, options);
    if (res.status === 401) {
      clearSession();
      if (options.requireLogin !== false) goToLogin();
    }
  }
  const data = await parse(res);
  if (!res.ok) throw new ApiError(res.status, data);
  return { data, etag: res.headers.get('ETag') };
}

/** GET a path under /api/v1 and return its JSON. */
export async function get(path) {
  return (await request('GET', path, { requireLogin: false })).data;
}

export async function login(email, password) {
  const { data } = await request('POST', '/auth/login', { body: { email, password }, auth: false });
  signedIn(data);
  return data.user;
}

/**
 * Completes a sign-in through the identity provider: the server has set the refresh cookie,
 * from which this page gets its access token. True when signed in.
 */
export async function completeSignIn() {
  localStorage.setItem(SIGNED_IN, '1');
  restoring = refresh();
  return restoring;
}

/**
 * Signs out. For a session of the identity provider, the address of its own sign-out, for
 * the browser to go on to; else null.
 */
export async function logout() {
  try {
    if (!current) return null;
    const { data } = await request('POST', '/auth/logout', { requireLogin: false });
    return data?.end_session_url || null;
  } finally {
    clearSession();
  }
}

/** Reloads the signed-in user (role changes apply at once). */
export async function refreshMe() {
  const { data } = await request('GET', '/me');
  if (current) current = { ...current, user: data };
  return data;
}

/** A text the API serves (an SVG chart), fetched with the session's token when there is one. */
export async function fetchText(path) {
  const fetchIt = () => fetch(BASE + path, {
    headers: { ...(current?.access_token ? { Authorization: `Bearer ${current.access_token}` } : {}), 'Accept-Language': language() },
  });
  let res = await fetchIt();
  if (res.status === 401 && current && (await refresh())) res = await fetchIt();
  if (!res.ok) throw new ApiError(res.status, await parse(res));
  return res.text();
}

/**
 * Downloads a list export (`path` with `format=csv|json` in its query) as `filename`.
 * The export needs the session's token, so it is fetched, not linked.
 */
export async function downloadExport(path, filename) {
  const fetchIt = () => fetch(BASE + path, { headers: { Authorization: `Bearer ${current?.access_token}`, 'Accept-Language': language() } });
  let res = await fetchIt();
  if (res.status === 401 && (await refresh())) res = await fetchIt();
  if (!res.ok) throw new ApiError(res.status, await parse(res));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}
