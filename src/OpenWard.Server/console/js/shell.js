// What every console page shares: the signed-in person, the navigation for their role, sign-out.
import { api } from './api.js';
import { signOut } from './auth.js';
import { loadDisplay } from './format.js';

// The pages each role works with (the API decides what each may do; this only keeps the menu honest).
const pagesByRole = {
  clinician: [['index.html', 'Ward'], ['alerts.html', 'Alerts']],
  nurse: [['index.html', 'Ward'], ['alerts.html', 'Alerts']],
  administrator: [['devices.html', 'Devices']],
  patient: [['portal.html', 'My readings']],
};

/** Loads the signed-in person and draws the header; sends them to their role's first page if this one is not theirs. */
export async function startPage(page) {
  const me = await api.get('/api/v1/me');
  const links = pagesByRole[me.role] ?? [];
  if (!links.some(([href]) => href === page)) {
    location.replace(`/console/${links[0]?.[0] ?? 'index.html'}`);
    throw new Error('redirecting');
  }
  await loadDisplay(api);
  const header = document.querySelector('header.bar');
  header.innerHTML = `
    <a class="brand" href="/console/${links[0][0]}">OpenWard</a>
    <nav aria-label="Main"><ul>${links.map(([href, label]) =>
      `<li><a href="/console/${href}"${href === page ? ' aria-current="page"' : ''}>${label}</a></li>`).join('')}</ul></nav>
    <div class="who"><span>${escapeHtml(me.displayName)} (${escapeHtml(me.role)})</span><a href="/account/sign-out" id="sign-out">Sign out</a></div>`;
  document.getElementById('sign-out').addEventListener('click', (event) => {
    event.preventDefault();
    signOut();
  });
  return me;
}

/** Text made safe to put into HTML. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** Shows a failure in the page's status line (read out by screen readers). */
export function showError(error) {
  if (error?.message === 'signing in' || error?.message === 'redirecting') {
    return;
  }
  const status = document.getElementById('status');
  status.textContent = error?.message ?? String(error);
  status.classList.add('error');
}
