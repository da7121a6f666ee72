// Signs people in through OpenWard's own authorization server: authorization code flow with PKCE
// for the public client "openward-console". Tokens live in this tab's session storage only.
const clientId = 'openward-console';
const redirectUri = `${location.origin}/console/callback.html`;
const tokensKey = 'openward.tokens';
const pendingKey = 'openward.sign-in';

function base64Url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText() {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Sends the browser to the sign-in page; it comes back to `returnTo` once signed in. */
export async function signIn(returnTo = location.pathname + location.search) {
  const verifier = randomText();
  const state = randomText();
  const challenge = base64Url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope: 'openid profile roles offline_access',
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  location.assign(`/connect/authorize?${query}`);
}

async function requestTokens(form) {
  const response = await fetch('/connect/token', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form),
  });
  if (!response.ok) {
    return null;
  }
  const body = await response.json();
  const tokens = { access: body.access_token, refresh: body.refresh_token, expiresAt: Date.now() + body.expires_in * 1000 };
  sessionStorage.setItem(tokensKey, JSON.stringify(tokens));
  return tokens;
}

/** On the callback page: exchanges the code for tokens and returns to where the person was going. */
export async function completeSignIn() {
  const query = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  sessionStorage.removeItem(pendingKey);
  if (!pending || query.get('state') !== pending.state || !query.get('code')) {
    throw new Error('The sign-in could not be completed (it expired or did not start here). Please sign in again.');
  }
  const tokens = await requestTokens({
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri, client_id: clientId, code_verifier: pending.verifier,
  });
  if (!tokens) {
    throw new Error('The sign-in was refused. Please sign in again.');
  }
  location.replace(pending.returnTo.startsWith('/console/') ? pending.returnTo : '/console/');
}

/** A valid access token, refreshed when it is about to expire; signs the person in when there is none. */
export async function accessToken() {
  let tokens = JSON.parse(sessionStorage.getItem(tokensKey) ?? 'null');
  if (tokens && tokens.expiresAt - Date.now() < 60_000) {
    tokens = tokens.refresh ? await requestTokens({ grant_type: 'refresh_token', refresh_token: tokens.refresh, client_id: clientId }) : null;
  }
  if (!tokens) {
    await signIn();
    throw new Error('signing in');
  }
  return tokens.access;
}

/** Forgets this tab's tokens and ends the sign-in session on the server. */
export function signOut() {
  sessionStorage.removeItem(tokensKey);
  location.assign('/account/sign-out');
}
