// The one way the pages talk to the API: same-origin JSON, the session cookie, and the CSRF header on every
// request (the API refuses an unsafe cookie request without it). Problems come back as thrown ApiError.
export const CSRF_HEADER = 'X-Ledger-Csrf';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  /** The field errors of a 400 ("user is required" → { user: [...] }), and the rest under "". */
  fieldErrors() {
    const byField = {};
    for (const error of this.problem.errors || []) {
      // "description (what happened) is required" → description; "unknown town code 'x'" → town.
      const match = /^([A-Za-z]+)[ :]/.exec(error);
      const named = /^(?:unknown )?(town|village)\b/.exec(error);
      const field = named ? named[1] : match ? match[1] : '';
      (byField[field] ||= []).push(error);
    }
    return byField;
  }
}

export async function api(method, url, body) {
  const init = { method, headers: { [CSRF_HEADER]: '1', Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
