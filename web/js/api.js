// The one place that talks to the API: fetch, the session (access + refresh token),
// and problem+json → ApiError with the failing fields.

const BASE = '/api/v1';
const SESSION_KEY = 'utblick.session';

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

/** The signed-in session ({access_token, refresh_token, user}) or null. */
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
  } catch {
    return null;
  }
}

function saveSession(tokens) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(tokens));
}

export function clearSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** The signed-in user, or null. */
export function currentUser() {
  return session()?.user || null;
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

async function send(method, path, { body, headers = {}, auth = true } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const s = session();
  if (auth && s?.access_token) h.Authorization = `Bearer ${s.access_token}`;
  return fetch(BASE + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
}

let refreshing = null;

/** Trades the refresh token for new tokens once; false when the session is over. */
async function refresh() {
  const s = session();
  if (!s?.refresh_token) return false;
  refreshing ??= (async () => {
    const res = await send('POST', '/auth/refresh', { body: { refresh_token: s.refresh_token }, auth: false });
    if (!res.ok) {
      clearSession();
      return false;
    }
    saveSession(await res.json());
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Calls the API and returns {data, etag}. An expired access token is refreshed once; when
 * the session is over, a page that needs sign-in goes to the sign-in page.
 */
export async function request(method, path, options = {}) {
  let res = await send(method, path, options);
  if (res.status === 401 && options.auth !== false && session()) {
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
  saveSession(data);
  return data.user;
}

export async function logout() {
  try {
    if (session()) await request('POST', '/auth/logout', { requireLogin: false });
  } finally {
    clearSession();
  }
}

/** Reloads the signed-in user (role changes apply at once). */
export async function refreshMe() {
  const { data } = await request('GET', '/me');
  const s = session();
  if (s) saveSession({ ...s, user: data });
  return data;
}

/**
 * Downloads a list export (`path` with `format=csv|json` in its query) as `filename`.
 * The export needs the session's token, so it is fetched, not linked.
 */
export async function downloadExport(path, filename) {
  const fetchIt = () => fetch(BASE + path, { headers: { Authorization: `Bearer ${session()?.access_token}` } });
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
