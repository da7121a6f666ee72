// The alert inbox: open alerts by severity and age, each with the patient's current value of what it is about and the
// time it was raised; acknowledge, comment or resolve (saying whether the alert was actionable) in one place; a sound for
// new critical alerts; and the care team's alert quality per rule over a chosen period.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, value, vitals, when, severity, severityRank } from './format.js';
import { isNews2, vitalOf } from './conditions.js';

const alerts = new Map();
const names = new Map();
const tiles = new Map();
let catalogue = {};
const muteKey = 'openward.alerts.muted';

function muted() {
  return localStorage.getItem(muteKey) === 'yes';
}

// A short two-tone cue made in the page (no sound file to load); browsers play it once the person has interacted with the page.
function chime() {
  if (muted()) return;
  try {
    const audio = new AudioContext();
    [880, 660].forEach((frequency, i) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = frequency;
      gain.gain.value = 0.2;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + i * 0.25);
      tone.stop(audio.currentTime + i * 0.25 + 0.2);
    });
    document.body.dataset.chimed = String(Number(document.body.dataset.chimed ?? 0) + 1);
  } catch { /* no audio device: the row still appears */ }
}

function escalation(alert) {
  if (alert.state === 'resolved') return `resolved ${alert.resolvedAt ? age(alert.resolvedAt) : ''}`;
  const parts = [alert.state === 'acknowledged' ? `acknowledged ${alert.acknowledgedAt ? age(alert.acknowledgedAt) : ''}` : 'not acknowledged'];
  if (alert.escalationTier > 0) parts.push(`escalated to tier ${alert.escalationTier}${alert.escalatedTo ? ` (${escapeHtml(alert.escalatedTo)})` : ''}`);
  if (alert.nextEscalationAt && alert.state === 'raised') parts.push(`next escalation ${when(alert.nextEscalationAt)}`);
  return parts.join(' · ');
}

// The patient's value now of what the alert is about: the vital sign's latest reading, the NEWS2 score, or the device's last reading and battery.
function current(alert) {
  const tile = tiles.get(alert.patientId);
  if (!tile) return '<span class="empty">—</span>';
  if (isNews2(alert)) {
    return tile.news2 ? `<span class="badge ${tile.news2.response}">NEWS2 ${tile.news2.total} · ${tile.news2.response}</span> <span class="age">${age(tile.news2.at)}</span>` : '<span class="empty">no score</span>';
  }
  const vital = vitalOf(alert);
  const reading = vital && tile.latest.find((r) => r.vital === vital);
  if (reading) {
    return `<span class="current">${escapeHtml(catalogue[vital]?.display ?? vital)} ${escapeHtml(value(reading))}</span> <span class="age">${age(reading.time)}</span>`;
  }
  const [kind, deviceId] = String(alert.condition).split(':');
  const device = kind.startsWith('device-') && tile.devices.find((d) => d.id === deviceId);
  if (device) {
    const parts = [device.connected ? 'connected' : 'not connected'];
    if (device.lastReadingAt) parts.push(`last reading ${age(device.lastReadingAt)}`);
    if (device.batteryPercent != null) parts.push(`battery ${Math.round(device.batteryPercent)} %`);
    return `<span class="current">${parts.join(', ')}</span>`;
  }
  return '<span class="empty">—</span>';
}

function row(alert) {
  const open = alert.state !== 'resolved';
  const id = escapeHtml(alert.id);
  return `<tr data-alert="${id}" data-state="${alert.state}">
    <td><span class="badge ${severity(alert.severity)}">${severity(alert.severity)}</span></td>
    <td><a href="patient.html?id=${encodeURIComponent(alert.patientId)}">${escapeHtml(names.get(alert.patientId) ?? alert.patientId)}</a></td>
    <td>${escapeHtml(alert.summary)}</td>
    <td data-current>${current(alert)}</td>
    <td><time datetime="${escapeHtml(alert.raisedAt)}">${when(alert.raisedAt)}</time> <span class="age">${age(alert.raisedAt)}</span></td>
    <td>${escalation(alert)}</td>
    <td>${open ? `<form class="inline act" data-alert="${id}">
      ${alert.state === 'raised' ? '<button type="button" class="primary" data-act="acknowledge">Acknowledge</button>' : ''}
      <span class="comment"><label for="comment-${id}">Comment for the alert's timeline</label>
        <span><input id="comment-${id}" name="comment" maxlength="2000"> <button type="button" data-act="comment">Add comment</button></span></span>
      <button type="button" data-act="resolve">Resolve…</button></form>` : ''}</td>
  </tr>`;
}

function draw() {
  const state = document.getElementById('state').value;
  const shown = [...alerts.values()]
    .filter((a) => state === 'all' || (state === 'raised' ? a.state === 'raised' : a.state !== 'resolved'))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || new Date(a.raisedAt) - new Date(b.raisedAt));
  document.getElementById('alerts').innerHTML = shown.map(row).join('') || '<tr><td colspan="7" class="empty">No alerts to show.</td></tr>';
  const unacknowledged = [...alerts.values()].filter((a) => a.state === 'raised').length;
  document.getElementById('summary').textContent = `${unacknowledged} not yet acknowledged`;
}

async function loadTiles() {
  tiles.clear();
  for (const tile of await api.get('/api/v1/ward')) tiles.set(tile.patientId, tile);
}

async function load() {
  const state = document.getElementById('state').value === 'all' ? 'all' : 'active';
  alerts.clear();
  for (const alert of await api.get(`/api/v1/alerts?state=${state}&limit=500`)) alerts.set(alert.id, alert);
  draw();
}

function done(updated, what) {
  alerts.set(updated.id, updated);
  document.getElementById('status').textContent = `Alert ${what}.`;
  document.getElementById('status').classList.remove('error');
  draw();
}

// Acknowledging takes no note; a comment goes to the alert's timeline; resolving asks for its own note in a dialog.
async function act(form, action) {
  const id = form.dataset.alert;
  if (action === 'resolve') {
    openResolve(id);
    return;
  }
  if (action === 'acknowledge') {
    done(await api.post(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, {}), 'acknowledged');
    return;
  }
  const text = form.elements.comment.value.trim();
  if (!text) {
    showError(new Error('Write the comment in the box beside "Add comment" first.'));
    form.elements.comment.focus();
    return;
  }
  done(await api.post(`/api/v1/alerts/${encodeURIComponent(id)}/comments`, { text }), 'commented on');
}

// Resolving asks for a note and whether the alert was actionable (both required): the labels alert quality is measured by.
function openResolve(id) {
  const dialog = document.getElementById('resolve-dialog');
  const form = document.getElementById('resolve-form');
  const alert = alerts.get(id);
  form.reset();
  form.dataset.alert = id;
  document.getElementById('resolve-what').textContent = alert ? `${names.get(alert.patientId) ?? alert.patientId}: ${alert.summary}` : '';
  dialog.showModal();
}

async function resolve(form) {
  const updated = await api.post(`/api/v1/alerts/${encodeURIComponent(form.dataset.alert)}/resolve`, {
    note: form.elements.note.value.trim(),
    actionable: form.elements.actionable.value === 'yes',
  });
  document.getElementById('resolve-dialog').close();
  done(updated, `resolved (${updated.actionable ? 'actionable' : 'not actionable'})`);
  await loadQuality();
}

// "—" where there is nothing to divide by (no patients; no alert labelled yet).
function qualityRow(rule) {
  const perPatientDay = rule.perPatientDay === null || rule.perPatientDay === undefined ? '—' : rule.perPatientDay.toFixed(2);
  const ppv = rule.ppv === null || rule.ppv === undefined ? '—' : `${Math.round(rule.ppv * 100)} %`;
  return `<tr data-rule="${escapeHtml(rule.rule)}"><th scope="row">${escapeHtml(rule.name)}</th>
    <td class="num">${rule.raised}</td><td class="num">${perPatientDay}</td><td class="num">${rule.actionable}</td>
    <td class="num">${rule.notActionable}</td><td class="num">${rule.unlabelled}</td><td class="num">${ppv}</td></tr>`;
}

async function loadQuality() {
  const days = Number(document.getElementById('quality-period').value);
  const to = new Date();
  const from = new Date(to.getTime() - days * 86400000);
  const quality = await api.get(`/api/v1/alerts/quality?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
  document.getElementById('quality').innerHTML = quality.rules.map(qualityRow).join('')
    || '<tr><td colspan="7" class="empty">No alerts raised in this period.</td></tr>';
  document.getElementById('quality-total').innerHTML = qualityRow(quality.total);
  document.getElementById('quality-summary').textContent =
    `${quality.patients} patient${quality.patients === 1 ? '' : 's'} × ${days} days = ${Math.round(quality.patientDays)} patient-days`;
}

// New alerts change the figures; read them again at most every 10 s.
let qualityRefresh = null;
function refreshQualitySoon() {
  qualityRefresh ??= setTimeout(() => {
    qualityRefresh = null;
    loadQuality().catch(showError);
  }, 10000);
}

function showMute() {
  const button = document.getElementById('mute');
  button.setAttribute('aria-pressed', String(muted()));
  button.textContent = muted() ? 'Sound muted — turn on' : 'Mute sound for new critical alerts';
}

try {
  await startPage('alerts.html');
  catalogue = await vitals(api);
  for (const patient of await api.get('/api/v1/patients')) names.set(patient.id, patient.name);
  await loadTiles();
  await load();
  await loadQuality();
  showMute();
  document.getElementById('quality-period').addEventListener('change', () => loadQuality().catch(showError));
  document.getElementById('resolve-form').addEventListener('submit', (event) => {
    event.preventDefault();
    resolve(event.target).catch((error) => {
      document.getElementById('resolve-dialog').close();
      showError(error);
    });
  });
  document.getElementById('resolve-cancel').addEventListener('click', () => document.getElementById('resolve-dialog').close());
  document.getElementById('state').addEventListener('change', () => load().catch(showError));
  document.getElementById('mute').addEventListener('click', () => {
    localStorage.setItem(muteKey, muted() ? 'no' : 'yes');
    showMute();
  });
  document.getElementById('alerts').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-act]');
    if (button) act(button.closest('form'), button.dataset.act).catch(showError);
  });
  // New readings change the current values: read them again at most every 10 s.
  let valuesDue = null;
  await listen({
    onWard: () => {
      valuesDue ??= setTimeout(() => { valuesDue = null; loadTiles().then(draw).catch(showError); }, 10_000);
    },
    onAlert: (alert) => {
      const isNew = !alerts.has(alert.id);
      alerts.set(alert.id, alert);
      if (isNew && alert.state === 'raised' && severity(alert.severity) === 'critical') chime();
      if (isNew) refreshQualitySoon();
      draw();
    },
    onReconnected: () => loadTiles().then(load).catch(showError),
  });
} catch (error) {
  showError(error);
}
