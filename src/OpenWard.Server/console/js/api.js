// The OpenWard API as the console uses it: every call carries the person's token.
import { accessToken, signIn } from './auth.js';

/** Thrown when the API refuses a call; `message` is the API's reason. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${await accessToken()}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    await signIn();
  }
  if (!response.ok) {
    let reason = response.statusText;
    try {
      const problem = await response.json();
      reason = problem.detail ?? Object.values(problem.errors ?? {}).flat().join('; ') ?? problem.title ?? reason;
    } catch { /* not a problem document */ }
    throw new ApiError(response.status, reason || `request failed (${response.status})`);
  }
  return response;
}

async function json(method, path, body) {
  const response = await call(method, path, body);
  return response.status === 204 ? null : response.json();
}

export const api = {
  get: (path) => json('GET', path),
  post: (path, body) => json('POST', path, body ?? {}),
  put: (path, body) => json('PUT', path, body),
  /** One page of a list: its items and how many match in all (the X-Total-Count header). */
  page: async (path) => {
    const response = await call('GET', path);
    const items = await response.json();
    return { items, total: Number(response.headers.get('X-Total-Count') ?? items.length) };
  },
};
