// A patient: a chart of each vital sign over 24 h, 7 d or 30 d with their limits, the readings beside it,
// NEWS2 history, alerts and devices.
import { api, ApiError } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, unit, value, vitals, when, severity } from './format.js';

const patientId = new URLSearchParams(location.search).get('id') ?? '';
const ranges = { '24h': [86_400_000, '5m'], '7d': [7 * 86_400_000, '1h'], '30d': [30 * 86_400_000, '1h'] };
let range = '24h';
let catalogue = {};
let thresholds = [];
let chart = null;
let canEdit = false;

const base = `/api/v1/patients/${encodeURIComponent(patientId)}`;

function seriesOf(page, sign) {
  const times = page.buckets.map((b) => new Date(b.start).getTime() / 1000);
  const measures = sign.components?.length ? sign.components.map((c) => [`${sign.key}.${c.key}`, c.display, (b) => b.components?.[c.key]?.mean ?? null])
    : [[sign.key, sign.display, (b) => b.mean ?? null]];
  const data = [times];
  const series = [{}];
  const colours = ['#0b5cad', '#7a2e8e', '#1e6b34'];
  measures.forEach(([measure, label, pick], i) => {
    data.push(page.buckets.map(pick));
    series.push({ label, stroke: colours[i % colours.length], width: 2, spanGaps: false });
    const bands = thresholds.find((t) => t.measure === measure);
    // A vital sign with components (blood pressure) shows each component's low and high limits only, to keep the chart readable.
    const limits = [['low', bands?.low], ['high', bands?.high]];
    if (measures.length === 1) limits.push(['critical low', bands?.criticalLow], ['critical high', bands?.criticalHigh]);
    for (const [name, limit] of limits) {
      if (limit == null) continue;
      data.push(times.map(() => limit));
      series.push({ label: `${label} ${name} limit`, stroke: name.startsWith('critical') ? '#a4161a' : '#9a3f00', dash: [6, 4], width: 1, points: { show: false } });
    }
  });
  return { data, series };
}

async function drawChart() {
  const key = document.getElementById('vital').value;
  const sign = catalogue[key];
  if (!sign) return;
  const [span, resolution] = ranges[range];
  const from = new Date(Date.now() - span).toISOString();
  const page = await api.get(`${base}/readings?vital=${key}&from=${encodeURIComponent(from)}&resolution=${resolution}&limit=5000`);
  const { data, series } = seriesOf(page, sign);
  const holder = document.getElementById('chart');
  document.getElementById('chart-title').textContent = `${sign.display} (${unit(page.unit)}), ${document.querySelector(`[data-range="${range}"]`).textContent}`;
  holder.setAttribute('aria-label', `${sign.display} over the last ${document.querySelector(`[data-range="${range}"]`).textContent}: ${page.buckets.length} periods with readings`);
  chart?.destroy();
  chart = new uPlot({
    width: Math.max(280, holder.clientWidth - 8), height: 260, series,
    scales: { x: { time: true } }, axes: [{}, { label: unit(page.unit) }], cursor: { drag: { x: true, y: false } },
    legend: { live: false },
  }, data, holder);
  holder.dataset.points = String(page.buckets.length);

  const raw = await api.get(`${base}/readings?vital=${key}&from=${encodeURIComponent(from)}&limit=200`);
  const items = [...raw.items].sort((a, b) => new Date(b.time) - new Date(a.time));
  document.getElementById('readings').innerHTML = items.map((r) => `<tr><td>${when(r.time)}</td><td class="num">${escapeHtml(value(r))}</td></tr>`).join('')
    || '<tr><td colspan="2" class="empty">No readings in this period.</td></tr>';
}

function measuresOf(key) {
  const sign = catalogue[key];
  return sign?.components?.length ? sign.components.map((c) => [`${key}.${c.key}`, `${sign.display}, ${c.display.toLowerCase()}`]) : [[key, sign?.display ?? key]];
}

const limitFields = ['criticalLow', 'low', 'high', 'criticalHigh'];

// The limits of the vital sign on the chart, and the patient's NEWS2 settings; clinicians may change them.
async function drawSettings() {
  const settings = await api.get(`${base}/alert-settings`);
  const form = document.getElementById('settings');
  form.elements.spO2Scale.value = settings.spO2Scale;
  form.elements.onOxygen.checked = settings.onOxygen;
  form.elements.consciousness.value = settings.consciousness;
  const key = document.getElementById('vital').value;
  document.getElementById('limits-legend').textContent = `Limits for ${catalogue[key]?.display ?? 'this vital sign'}`;
  document.getElementById('limits').innerHTML = measuresOf(key).map(([measure, label]) => {
    const bands = thresholds.find((t) => t.measure === measure) ?? {};
    return `<tr data-measure="${measure}"><th scope="row">${escapeHtml(label)}</th>${limitFields.map((field) =>
      `<td><input name="${measure}:${field}" inputmode="decimal" value="${bands[field] ?? ''}" aria-label="${escapeHtml(label)}: ${field.replace('critical', 'critical ').toLowerCase()} limit"></td>`).join('')}</tr>`;
  }).join('');
  form.querySelectorAll('input, select, button').forEach((el) => { el.disabled = !canEdit; });
  document.getElementById('settings-note').textContent = canEdit
    ? 'Changes take effect at once for this patient; every change is audited.'
    : 'Only the patient\'s clinicians change these settings.';
}

async function saveSettings(event) {
  event.preventDefault();
  const form = event.target;
  const settings = await api.get(`${base}/alert-settings`);
  const key = document.getElementById('vital').value;
  const edited = measuresOf(key).map(([measure]) => {
    const inForce = thresholds.find((t) => t.measure === measure) ?? { measure };
    const bands = { ...inForce };
    for (const field of limitFields) {
      const text = form.elements[`${measure}:${field}`].value.trim().replace(',', '.');
      bands[field] = text === '' ? null : Number(text);
    }
    return bands;
  });
  const body = {
    ...settings,
    spO2Scale: form.elements.spO2Scale.value,
    onOxygen: form.elements.onOxygen.checked,
    consciousness: form.elements.consciousness.value,
    thresholds: [...settings.thresholds.filter((t) => !edited.some((e) => e.measure === t.measure)), ...edited],
  };
  await api.put(`${base}/alert-settings`, body);
  thresholds = await api.get(`${base}/thresholds`);
  const status = document.getElementById('status');
  status.classList.remove('error');
  status.textContent = 'Alert settings saved.';
  await drawChart();
  await drawSettings();
}

async function drawNotes() {
  const notes = await api.get(`${base}/notes?limit=50`);
  document.getElementById('notes').innerHTML = notes.map((n) => `<li><strong>${escapeHtml(n.author)}</strong>${n.authorRole ? ` (${escapeHtml(n.authorRole)})` : ''},
    ${when(n.writtenAt)}: <span class="note-text">${escapeHtml(n.text)}</span></li>`).join('') || '<li class="empty">No notes yet.</li>';
}

async function addNote(event) {
  event.preventDefault();
  const form = event.target;
  await api.post(`${base}/notes`, { text: form.elements.text.value });
  form.reset();
  await drawNotes();
}

async function drawRest() {
  const [span] = ranges[range];
  const from = new Date(Date.now() - span).toISOString();
  const scores = await api.get(`${base}/news2?from=${encodeURIComponent(from)}&limit=500`);
  document.getElementById('news2').innerHTML = [...scores].reverse().slice(0, 50).map((s) => `<tr><td>${when(s.at)}</td><td class="num">${s.total}</td>
    <td><span class="badge ${s.response}">${s.response}</span></td></tr>`).join('') || '<tr><td colspan="3" class="empty">No NEWS2 scores in this period.</td></tr>';
  const alerts = await api.get(`/api/v1/alerts?patientId=${encodeURIComponent(patientId)}&state=all&limit=20`);
  // Each alert with its timeline: raised, updated by new evidence, escalated, acknowledged, commented, resolved — by whom and when.
  const timelines = await Promise.all(alerts.map((a) => api.get(`/api/v1/alerts/${encodeURIComponent(a.id)}`)));
  document.getElementById('alert-list').innerHTML = timelines.map((a) => `<li><span class="badge ${severity(a.severity)}">${severity(a.severity)}</span>
    ${escapeHtml(a.summary)} — ${a.state}
    <details><summary>Timeline (${(a.events ?? []).length} events)</summary><ol>${(a.events ?? []).map((e) =>
      `<li>${when(e.at)}: ${escapeHtml(e.kind)} by ${escapeHtml(e.actorName ?? e.actor)}${e.detail ? ` — ${escapeHtml(e.detail)}` : ''}</li>`).join('')}</ol></details></li>`).join('')
    || '<li class="empty">No alerts.</li>';
}

async function drawDevices() {
  const tile = (await api.get('/api/v1/ward')).find((t) => t.patientId === patientId);
  document.getElementById('name').textContent = tile?.name ?? 'Patient';
  document.title = `${tile?.name ?? 'Patient'} — OpenWard`;
  document.getElementById('devices').innerHTML = (tile?.devices ?? []).map((d) => `<li>${escapeHtml(d.model)} (${escapeHtml(d.id)}):
    ${d.connected ? 'connected' : 'not connected'}${d.lastReadingAt ? `, last reading ${age(d.lastReadingAt)}` : ''}${d.batteryPercent != null ? `, battery ${Math.round(d.batteryPercent)} %` : ''}</li>`).join('')
    || '<li class="empty">No devices assigned.</li>';
}

// Live updates and period changes redraw the chart and lists, never the settings form (a clinician may be editing it).
async function drawAll() {
  await drawChart();
  await drawRest();
}

try {
  const me = await startPage('index.html');
  canEdit = me.role === 'clinician';
  catalogue = await vitals(api);
  let latest;
  try {
    latest = await api.get(`${base}/latest`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
      document.getElementById('name').textContent = 'Patient not available';
      document.getElementById('status').textContent = 'This patient is not on your care teams, or does not exist. Ask the patient\'s care team, or use break-glass access through the API in an emergency.';
      document.getElementById('status').setAttribute('role', 'alert');
      document.querySelectorAll('section, .toolbar').forEach((el) => { el.hidden = true; });
      throw new Error('redirecting');
    }
    throw error;
  }
  thresholds = await api.get(`${base}/thresholds`);
  const keys = latest.map((r) => r.vital).filter((k) => catalogue[k] && !catalogue[k].isEvent && k !== 'device-battery');
  document.getElementById('vital').innerHTML = keys.map((k) => `<option value="${k}">${escapeHtml(catalogue[k].display)}</option>`).join('');
  document.getElementById('vital').addEventListener('change', () => drawChart().then(drawSettings).catch(showError));
  document.getElementById('settings').addEventListener('submit', (event) => saveSettings(event).catch(showError));
  document.querySelectorAll('[data-range]').forEach((button) => button.addEventListener('click', () => {
    range = button.dataset.range;
    document.querySelectorAll('[data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
    drawAll().catch(showError);
  }));
  await drawDevices();
  await drawAll();
  await drawSettings();
  document.getElementById('note').hidden = !['clinician', 'nurse'].includes(me.role);
  document.getElementById('note').addEventListener('submit', (event) => addNote(event).catch(showError));
  await drawNotes();
  // New readings redraw the chart, table and lists at most every 10 s (a 1 Hz device would otherwise mean a
  // redraw, and its audited reads, every second); an alert change redraws the lists at once.
  let chartDue = null;
  await listen({
    onWard: (ids) => {
      if (ids.includes(patientId)) chartDue ??= setTimeout(() => { chartDue = null; drawAll().catch(showError); }, 10_000);
    },
    onAlert: (a) => { if (a.patientId === patientId) drawRest().catch(showError); },
  });
} catch (error) {
  showError(error);
}
