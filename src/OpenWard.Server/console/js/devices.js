// The device fleet for administrators: found by search and filters a page at a time (the server filters and
// pages), registered (the secret is shown once), assigned to a patient chosen by name and MRN, revoked; what the
// gateway has seen of each device; and the dead letters with their reasons.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { age, when } from './format.js';

const pageSize = 25;
let devices = [];
let patients = [];
let page = 1;
let confirming = null;

function say(text) {
  const status = document.getElementById('status');
  status.classList.remove('error');
  status.textContent = text;
}

// A patient as an administrator tells them apart: two patients may share a name, never an MRN.
function patientLabel(patient) {
  return `${patient.name} — ${patient.mrn ? `MRN ${patient.mrn}` : `no MRN, ${patient.id}`}`;
}

function patientOf(device) {
  if (!device.patientId) return '<span class="empty">not assigned</span>';
  return `${escapeHtml(device.patientName ?? device.patientId)}${device.patientMrn ? ` <span class="age">MRN ${escapeHtml(device.patientMrn)}</span>` : ''}`;
}

function row(device) {
  const revoked = device.revokedAt != null;
  const patientOptions = patients.map((p) =>
    `<option value="${escapeHtml(p.id)}"${p.id === device.patientId ? ' selected' : ''}>${escapeHtml(patientLabel(p))}</option>`).join('');
  const actions = revoked ? `revoked ${when(device.revokedAt)}` : `<form class="inline" data-device="${escapeHtml(device.id)}">
      <label>Assign to <select name="patientId"><option value="">choose a patient</option>${patientOptions}</select></label>
      <button type="button" data-act="assign">Assign</button>
      <label>Firmware <input name="firmware" maxlength="64" size="8" value="${escapeHtml(device.firmware ?? '')}"></label>
      <button type="button" data-act="firmware">Record firmware</button>
      <button type="button" data-act="${confirming === device.id ? 'revoke' : 'ask-revoke'}">${confirming === device.id ? 'Confirm: revoke now' : 'Revoke'}</button>
    </form>`;
  return `<tr data-device="${escapeHtml(device.id)}"${revoked ? ' data-revoked="true"' : ''}>
    <td>${escapeHtml(device.id)}${device.connected ? ' <span class="badge low">connected</span>' : ''}</td>
    <td>${escapeHtml(device.model)}</td><td>${escapeHtml(device.serial)}</td><td>${device.firmware ? escapeHtml(device.firmware) : '—'}</td>
    <td>${patientOf(device)}</td>
    <td>${device.lastSeenAt ? age(device.lastSeenAt) : '—'}</td>
    <td class="num">${device.batteryPercent != null ? `${Math.round(device.batteryPercent)} %` : '—'}</td>
    <td>${actions}</td></tr>`;
}

function draw() {
  document.getElementById('fleet').innerHTML = devices.map(row).join('') || '<tr><td colspan="8" class="empty">No devices match.</td></tr>';
}

// The filters as the API's query: every one the administrator filled in.
function query() {
  const filters = new URLSearchParams();
  for (const name of ['search', 'model', 'firmware', 'patient', 'status']) {
    const value = document.getElementById(`filter-${name}`).value.trim();
    if (value) filters.set(name, value);
  }
  return filters;
}

async function loadFleet() {
  const filters = query();
  filters.set('page', String(page));
  filters.set('pageSize', String(pageSize));
  const { items, total } = await api.page(`/api/v1/devices?${filters}`);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (page > pages) {
    page = pages;
    return loadFleet();
  }
  devices = items;
  draw();
  const connected = (await api.page('/api/v1/devices?status=connected&pageSize=1')).total;
  const all = (await api.page('/api/v1/devices?pageSize=1')).total;
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  document.getElementById('summary').textContent = `${total === all ? `${all} devices` : `${total} of ${all} devices match`} · ${connected} connected`;
  document.getElementById('page-position').textContent = total === 0 ? 'No devices' : `${first}–${first + items.length - 1} of ${total} · page ${page} of ${pages}`;
  document.getElementById('previous-page').disabled = page <= 1;
  document.getElementById('next-page').disabled = page >= pages;
}

async function load() {
  patients = (await api.get('/api/v1/patients')).sort((a, b) => patientLabel(a).localeCompare(patientLabel(b)));
  await loadFleet();
  const letters = await api.get('/api/v1/dead-letters?limit=100');
  document.getElementById('dead-letters').innerHTML = letters.items.map((l) => `<tr><td>${when(l.receivedAt)}</td>
    <td>${escapeHtml(l.deviceId)}</td><td>${escapeHtml(l.channel)}</td><td>${escapeHtml(l.reason)}</td></tr>`).join('')
    || '<tr><td colspan="4" class="empty">None.</td></tr>';
}

async function register(event) {
  event.preventDefault();
  const form = event.target;
  const created = await api.post('/api/v1/devices', {
    id: form.elements.id.value.trim(), model: form.elements.model.value.trim(), serial: form.elements.serial.value.trim(),
    firmware: form.elements.firmware.value.trim() || null,
  });
  const secret = document.getElementById('secret');
  secret.hidden = false;
  secret.innerHTML = `<p>Registered <strong>${escapeHtml(created.id)}</strong>. Its secret is shown this once — put it on the device now:</p>
    <p><code id="device-secret">${escapeHtml(created.secret)}</code></p>`;
  form.reset();
  // The new device is found at once, whichever page it would fall on.
  document.getElementById('filter-search').value = created.id;
  page = 1;
  await load();
}

async function act(form, action) {
  const id = form.dataset.device;
  if (action === 'ask-revoke') {
    confirming = id;
    draw();
    return;
  }
  if (action === 'firmware') {
    await api.put(`/api/v1/devices/${encodeURIComponent(id)}/firmware`, { version: form.elements.firmware.value.trim() });
    say(`${id}: firmware recorded.`);
  } else if (action === 'assign') {
    const patientId = form.elements.patientId.value;
    if (!patientId) throw new Error('Choose the patient to assign the device to.');
    await api.post(`/api/v1/devices/${encodeURIComponent(id)}/assignment`, { patientId });
    say(`${id} is now assigned to ${patientLabel(patients.find((p) => p.id === patientId))}.`);
  } else {
    await api.post(`/api/v1/devices/${encodeURIComponent(id)}/revoke`);
    confirming = null;
    say(`${id} is revoked: it can no longer connect or upload.`);
  }
  await loadFleet();
}

function refilter() {
  page = 1;
  loadFleet().catch(showError);
}

try {
  await startPage('devices.html');
  await load();
  let typing = null;
  for (const input of document.querySelectorAll('#filters input')) {
    input.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(refilter, 250);
    });
  }
  document.getElementById('filter-status').addEventListener('change', refilter);
  document.getElementById('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    refilter();
  });
  document.getElementById('previous-page').addEventListener('click', () => {
    page -= 1;
    loadFleet().catch(showError);
  });
  document.getElementById('next-page').addEventListener('click', () => {
    page += 1;
    loadFleet().catch(showError);
  });
  document.getElementById('register').addEventListener('submit', (event) => register(event).catch(showError));
  document.getElementById('fleet').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-act]');
    if (button) act(button.closest('form'), button.dataset.act).catch(showError);
  });
  // Refreshed every 30 s, but never under someone's hands: not while they are typing or choosing in the fleet table.
  setInterval(() => {
    if (!document.getElementById('fleet').contains(document.activeElement)) load().catch(showError);
  }, 30_000);
} catch (error) {
  showError(error);
}
