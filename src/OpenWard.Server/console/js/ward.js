// The ward overview: one tile per patient, most urgent first, kept current by the hub.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, value, vitals, severity, severityRank } from './format.js';

const tiles = new Map();
const order = ['heart-rate', 'spo2', 'respiratory-rate', 'blood-pressure', 'body-temperature', 'blood-glucose', 'body-weight'];
// The abbreviations on ward charts, so that a tile stays small; the full name is in the abbreviation's title.
const short = {
  'heart-rate': 'HR', spo2: 'SpO2', 'respiratory-rate': 'RR', 'blood-pressure': 'BP', 'body-temperature': 'Temp',
  'blood-glucose': 'Glucose', 'body-weight': 'Weight', 'step-count': 'Steps',
};
let catalogue = {};

function level(tile) {
  const alert = tile.openAlerts[0];
  if (alert) return severity(alert.severity);
  return { high: 'critical', medium: 'urgent', 'low-medium': 'warning' }[tile.news2?.response] ?? 'none';
}

function needsAttention(tile) {
  return tile.openAlerts.length > 0 || ['medium', 'high', 'low-medium'].includes(tile.news2?.response);
}

function urgency(a, b) {
  const alertA = a.openAlerts[0] ? severityRank(a.openAlerts[0].severity) : 0;
  const alertB = b.openAlerts[0] ? severityRank(b.openAlerts[0].severity) : 0;
  return alertB - alertA || (b.news2?.total ?? -1) - (a.news2?.total ?? -1) || a.name.localeCompare(b.name);
}

function render(tile) {
  const latest = [...tile.latest]
    .filter((r) => catalogue[r.vital] && !catalogue[r.vital].isEvent && r.vital !== 'device-battery')
    .sort((a, b) => (order.indexOf(a.vital) + 1 || 99) - (order.indexOf(b.vital) + 1 || 99));
  const news2 = tile.news2
    ? `<span class="badge ${tile.news2.response}">NEWS2 ${tile.news2.total} · ${tile.news2.response}</span>`
    : '<span class="badge">NEWS2 —</span>';
  const alerts = tile.openAlerts.length === 0 ? '<p>No open alerts</p>'
    : `<p><span class="badge ${severity(tile.openAlerts[0].severity)}">${tile.openAlerts.length} open · ${severity(tile.openAlerts[0].severity)}</span>
       ${escapeHtml(tile.openAlerts[0].summary)}</p>`;
  const connected = tile.devices.filter((d) => d.connected).length;
  const battery = tile.devices.filter((d) => d.batteryPercent != null).map((d) => d.batteryPercent);
  const lowBattery = battery.length ? Math.min(...battery) : null;
  return `<li class="tile" data-patient="${escapeHtml(tile.patientId)}" data-level="${level(tile)}">
    <h2><a href="patient.html?id=${encodeURIComponent(tile.patientId)}">${escapeHtml(tile.name)}</a></h2>
    <p>${news2} ${tile.careTeamName ? `<span class="age">${escapeHtml(tile.careTeamName)}</span>` : ''}</p>
    ${alerts}
    ${latest.length === 0 ? '<p class="empty">No readings yet</p>' : `<dl>${latest.map((r) => `
      <dt>${short[r.vital] ? `<abbr title="${escapeHtml(catalogue[r.vital].display)}">${short[r.vital]}</abbr>` : escapeHtml(catalogue[r.vital].display)}</dt>
      <dd data-vital="${r.vital}">${escapeHtml(value(r))} <span class="age" data-time="${r.time}">${age(r.time)}</span></dd>`).join('')}</dl>`}
    <p class="devices">${tile.devices.length} device${tile.devices.length === 1 ? '' : 's'} · ${connected} connected${lowBattery != null ? ` · lowest battery ${Math.round(lowBattery)} %` : ''}</p>
  </li>`;
}

function draw() {
  const team = document.getElementById('team').value;
  const onlyAttention = document.getElementById('attention').checked;
  const shown = [...tiles.values()]
    .filter((t) => (!team || t.careTeamId === team) && (!onlyAttention || needsAttention(t)))
    .sort(urgency);
  document.getElementById('tiles').innerHTML = shown.map(render).join('')
    || '<li class="empty">No patients to show.</li>';
  const attention = [...tiles.values()].filter(needsAttention).length;
  document.getElementById('summary').textContent = `${tiles.size} patients · ${attention} need attention`;
}

function fillTeams() {
  const select = document.getElementById('team');
  const teams = new Map([...tiles.values()].filter((t) => t.careTeamId).map((t) => [t.careTeamId, t.careTeamName ?? t.careTeamId]));
  const chosen = select.value;
  select.innerHTML = '<option value="">All my teams</option>'
    + [...teams].map(([id, name]) => `<option value="${escapeHtml(id)}">${escapeHtml(name)}</option>`).join('');
  select.value = teams.has(chosen) ? chosen : '';
}

async function loadAll() {
  tiles.clear();
  for (const tile of await api.get('/api/v1/ward')) tiles.set(tile.patientId, tile);
  fillTeams();
  draw();
}

// Patients with new readings or alert changes are read again, at most once per second together.
const pending = new Set();
let timer = null;
function refresh(ids) {
  ids.filter((id) => tiles.has(id)).forEach((id) => pending.add(id));
  timer ??= setTimeout(async () => {
    timer = null;
    const wanted = new Set(pending);
    pending.clear();
    try {
      for (const tile of await api.get('/api/v1/ward')) {
        if (wanted.has(tile.patientId)) tiles.set(tile.patientId, tile);
      }
      draw();
    } catch (error) {
      showError(error);
    }
  }, 300);
}

try {
  await startPage('index.html');
  catalogue = await vitals(api);
  await loadAll();
  document.getElementById('team').addEventListener('change', draw);
  document.getElementById('attention').addEventListener('change', draw);
  setInterval(() => document.querySelectorAll('[data-time]').forEach((el) => { el.textContent = age(el.dataset.time); }), 15_000);
  await listen({ onWard: refresh, onAlert: (alert) => refresh([alert.patientId]), onReconnected: loadAll });
} catch (error) {
  showError(error);
}
