// The one place that talks to the API: fetch, JSON, and problem+json → ApiError.

const BASE = '/api/v1';

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

/** GET a path under /api/v1 and return its JSON; throws ApiError or a network TypeError. */
export async function get(path, { signal } = {}) {
  const res = await fetch(BASE + path, { headers: { Accept: 'application/json' }, signal });
  const type = res.headers.get('content-type') || '';
  const body = type.includes('json') ? await res.json().catch(() => null) : null;
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}
