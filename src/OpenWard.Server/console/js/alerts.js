// The alert inbox: open alerts by severity and age; acknowledge, resolve (saying whether the alert was actionable) or comment
// in one place; a sound for new critical alerts; and the care team's alert quality per rule over a chosen period.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, when, severity, severityRank } from './format.js';

const alerts = new Map();
const names = new Map();
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

function row(alert) {
  const open = alert.state !== 'resolved';
  return `<tr data-alert="${escapeHtml(alert.id)}" data-state="${alert.state}">
    <td><span class="badge ${severity(alert.severity)}">${severity(alert.severity)}</span></td>
    <td><a href="patient.html?id=${encodeURIComponent(alert.patientId)}">${escapeHtml(names.get(alert.patientId) ?? alert.patientId)}</a></td>
    <td>${escapeHtml(alert.summary)}</td>
    <td><span title="${when(alert.raisedAt)}">${age(alert.raisedAt)}</span></td>
    <td>${escalation(alert)}</td>
    <td>${open ? `<form class="inline" data-alert="${escapeHtml(alert.id)}">
      ${alert.state === 'raised' ? '<button type="button" class="primary" data-act="acknowledge">Acknowledge</button>' : ''}
      <label>Note <input name="note" maxlength="2000"></label>
      <button type="button" data-act="resolve">Resolve</button>
      <button type="button" data-act="comment">Comment</button></form>` : ''}</td>
  </tr>`;
}

function draw() {
  const state = document.getElementById('state').value;
  const shown = [...alerts.values()]
    .filter((a) => state === 'all' || (state === 'raised' ? a.state === 'raised' : a.state !== 'resolved'))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || new Date(a.raisedAt) - new Date(b.raisedAt));
  document.getElementById('alerts').innerHTML = shown.map(row).join('') || '<tr><td colspan="6" class="empty">No alerts to show.</td></tr>';
  const unacknowledged = [...alerts.values()].filter((a) => a.state === 'raised').length;
  document.getElementById('summary').textContent = `${unacknowledged} not yet acknowledged`;
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

async function act(form, action) {
  const id = form.dataset.alert;
  const note = form.elements.note.value.trim();
  if (action === 'resolve') {
    openResolve(id, note);
    return;
  }
  if (action === 'comment' && !note) {
    showError(new Error('Write the comment in the note field.'));
    form.elements.note.focus();
    return;
  }
  const body = action === 'comment' ? { text: note } : { note: note || null };
  const updated = await api.post(`/api/v1/alerts/${encodeURIComponent(id)}/${action === 'comment' ? 'comments' : action}`, body);
  done(updated, action === 'comment' ? 'commented on' : 'acknowledged');
}

// Resolving asks for a note and whether the alert was actionable (both required): the labels alert quality is measured by.
function openResolve(id, note) {
  const dialog = document.getElementById('resolve-dialog');
  const form = document.getElementById('resolve-form');
  const alert = alerts.get(id);
  form.reset();
  form.dataset.alert = id;
  form.elements.note.value = note;
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
  for (const patient of await api.get('/api/v1/patients')) names.set(patient.id, patient.name);
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
  await listen({
    onAlert: (alert) => {
      const isNew = !alerts.has(alert.id);
      alerts.set(alert.id, alert);
      if (isNew && alert.state === 'raised' && severity(alert.severity) === 'critical') chime();
      if (isNew) refreshQualitySoon();
      draw();
    },
    onReconnected: () => load().catch(showError),
  });
} catch (error) {
  showError(error);
}
