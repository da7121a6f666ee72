// The device fleet for administrators: register (the secret is shown once), assign to a patient,
// revoke; what the gateway has seen of each device; and the dead letters with their reasons.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { age, when } from './format.js';

let devices = [];
let statuses = new Map();
let patients = new Map();
let confirming = null;

function say(text) {
  const status = document.getElementById('status');
  status.classList.remove('error');
  status.textContent = text;
}

function row(device) {
  const status = statuses.get(device.id) ?? {};
  const revoked = device.revokedAt != null;
  const patientOptions = [...patients].map(([id, name]) =>
    `<option value="${escapeHtml(id)}"${id === device.patientId ? ' selected' : ''}>${escapeHtml(name)}</option>`).join('');
  const actions = revoked ? `revoked ${when(device.revokedAt)}` : `<form class="inline" data-device="${escapeHtml(device.id)}">
      <label>Assign to <select name="patientId"><option value="">choose a patient</option>${patientOptions}</select></label>
      <button type="button" data-act="assign">Assign</button>
      <label>Firmware <input name="firmware" maxlength="64" size="8" value="${escapeHtml(device.firmware ?? '')}"></label>
      <button type="button" data-act="firmware">Record firmware</button>
      <button type="button" data-act="${confirming === device.id ? 'revoke' : 'ask-revoke'}">${confirming === device.id ? 'Confirm: revoke now' : 'Revoke'}</button>
    </form>`;
  return `<tr data-device="${escapeHtml(device.id)}"${revoked ? ' data-revoked="true"' : ''}>
    <td>${escapeHtml(device.id)}${status.connected ? ' <span class="badge low">connected</span>' : ''}</td>
    <td>${escapeHtml(device.model)}</td><td>${escapeHtml(device.serial)}</td><td>${device.firmware ? escapeHtml(device.firmware) : '—'}</td>
    <td>${device.patientId ? escapeHtml(patients.get(device.patientId) ?? device.patientId) : '<span class="empty">not assigned</span>'}</td>
    <td>${status.lastSeenAt ? age(status.lastSeenAt) : '—'}</td>
    <td class="num">${status.batteryPercent != null ? `${Math.round(status.batteryPercent)} %` : '—'}</td>
    <td>${actions}</td></tr>`;
}

function draw() {
  const find = document.getElementById('find').value.trim().toLowerCase();
  const shown = devices.filter((d) => !find || [d.id, d.model, d.serial, patients.get(d.patientId) ?? ''].some((t) => t.toLowerCase().includes(find)));
  document.getElementById('fleet').innerHTML = shown.map(row).join('') || '<tr><td colspan="8" class="empty">No devices.</td></tr>';
  const connected = devices.filter((d) => statuses.get(d.id)?.connected).length;
  document.getElementById('summary').textContent = `${devices.length} devices · ${connected} connected`;
}

async function load() {
  devices = (await api.get('/api/v1/devices')).sort((a, b) => a.id.localeCompare(b.id));
  statuses = new Map((await api.get('/api/v1/device-status')).map((s) => [s.id, s]));
  patients = new Map((await api.get('/api/v1/patients')).map((p) => [p.id, p.name]));
  draw();
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
    say(`${id} is now assigned to ${patients.get(patientId)}.`);
  } else {
    await api.post(`/api/v1/devices/${encodeURIComponent(id)}/revoke`);
    confirming = null;
    say(`${id} is revoked: it can no longer connect or upload.`);
  }
  await load();
}

try {
  await startPage('devices.html');
  await load();
  document.getElementById('find').addEventListener('input', draw);
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
