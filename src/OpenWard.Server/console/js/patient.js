// A patient, leading with what matters: "Now" (the latest observations with their age and NEWS2 band, the NEWS2 score and
// the clinical response it calls for, the open alerts to acknowledge there and then), then the observation chart — every
// vital sign on one time axis over 24 h, 7 d or 30 d, NEWS2's bands shaded — opened on what is alerting, with its readings
// and limits beside it; then the alert settings, notes, NEWS2 history, alerts and devices.
import { api, ApiError } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, shown, shownUnit, unit, value, vitals, when, severity, severityRank } from './format.js';
import { isNews2, vitalOf } from './conditions.js';
import { bandOf, charted, describeBands, drawStack } from './observation-chart.js';

const patientId = new URLSearchParams(location.search).get('id') ?? '';
const ranges = { '24h': [86_400_000, '5m'], '7d': [7 * 86_400_000, '1h'], '30d': [30 * 86_400_000, '1h'] };
let range = '24h';
let catalogue = {};
let thresholds = [];
let chart = null;
let canEdit = false;
let canAct = false;
let news2Chart = { parameters: [] };
let tile = null;
let openAlerts = [];
let chartedKeys = [];

const base = `/api/v1/patients/${encodeURIComponent(patientId)}`;

function seriesOf(page, sign) {
  const times = page.buckets.map((b) => new Date(b.start).getTime() / 1000);
  // Values and limits in the unit the deployment shows (blood glucose in mmol/L or mg/dL).
  const measures = sign.components?.length ? sign.components.map((c) => [`${sign.key}.${c.key}`, c.display, (b) => shown(sign.key, b.components?.[c.key]?.mean ?? null)])
    : [[sign.key, sign.display, (b) => shown(sign.key, b.mean ?? null)]];
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
    for (const limit of limits) limit[1] = shown(sign.key, limit[1]);
    for (const [name, limit] of limits) {
      if (limit == null) continue;
      data.push(times.map(() => limit));
      series.push({ label: `${label} ${name} limit`, limit: true, at: limit, stroke: name.startsWith('critical') ? '#a4161a' : '#9a3f00', dash: [6, 4], width: 1, points: { show: false } });
    }
  });
  return { data, series };
}

// The vitals on the chart: NEWS2's parameters in the chart's order, then whatever else the patient has readings of.
function chartKeys() {
  const news2Keys = [...new Set(news2Chart.parameters.map((p) => p.measure.split('.')[0]))].filter((k) => catalogue[k]);
  return [...news2Keys, ...chartedKeys.filter((k) => !news2Keys.includes(k))];
}

function bandsOf(key) {
  return news2Chart.parameters.find((p) => p.measure.split('.')[0] === key) ?? null;
}

function periodName() {
  return document.querySelector(`[data-range="${range}"]`).textContent;
}

async function drawChart() {
  const [span, resolution] = ranges[range];
  const fromTime = Date.now() - span;
  const from = new Date(fromTime).toISOString();
  const selected = document.getElementById('vital').value;
  const alerting = new Set(openAlerts.map(vitalFor).filter(Boolean));
  const strips = await Promise.all(chartKeys().map(async (key) => {
    const sign = catalogue[key];
    const page = await api.get(`${base}/readings?vital=${key}&from=${encodeURIComponent(from)}&resolution=${resolution}&limit=5000`);
    const { data, series } = seriesOf(page, sign);
    const parameter = bandsOf(key);
    const limits = series.filter((s) => s.limit).map((s) => `${s.label} ${s.at}`);
    const label = `${sign.display} over the last ${periodName()}: ${page.buckets.length} periods with readings`
      + (limits.length ? `. Limits: ${limits.join(', ')}` : '')
      + (parameter ? `. NEWS2 bands of ${parameter.parameter}: ${describeBands(parameter.bands)}` : '');
    return {
      key, title: `${sign.display} (${unit(shownUnit(key, page.unit ?? sign.canonicalUnit))})`, label, data, series,
      bands: parameter?.bands ?? null, alerting: alerting.has(key), points: page.buckets.length,
    };
  }));
  document.getElementById('chart-title').textContent = `Observation chart, ${periodName()}`;
  drawStack(document.getElementById('chart'), strips, fromTime / 1000, Date.now() / 1000);
  document.querySelector(`#chart [data-vital="${selected}"]`)?.classList.add('selected');

  const sign = catalogue[selected];
  if (!sign) return;
  document.getElementById('readings-title').textContent = `Readings: ${sign.display}`;
  const raw = await api.get(`${base}/readings?vital=${selected}&from=${encodeURIComponent(from)}&limit=200`);
  const items = [...raw.items].sort((a, b) => new Date(b.time) - new Date(a.time));
  document.getElementById('readings').innerHTML = items.map((r) => `<tr><td>${when(r.time)}</td><td class="num">${escapeHtml(value(r))}</td></tr>`).join('')
    || '<tr><td colspan="2" class="empty">No readings in this period.</td></tr>';
}

// The vital sign an alert is about; for NEWS2, the parameter scoring most in the latest score.
function vitalFor(alert) {
  if (!isNews2(alert)) return vitalOf(alert);
  const worst = [...(tile?.news2?.parameters ?? [])].filter((p) => p.score != null).sort((a, b) => b.score - a.score)
    .map((p) => news2Chart.parameters.find((c) => c.parameter === p.name)).find(Boolean);
  return worst ? worst.measure.split('.')[0] : null;
}

const responses = {
  low: ['Low', 'ward-based response; assessment by a registered nurse, observations at least every 4–6 hours (every 12 hours at a score of 0)'],
  'low-medium': ['Low–medium (a single parameter scores 3)', 'urgent ward-based response: a registered nurse informs the medical team; observations at least every hour'],
  medium: ['Medium', 'key threshold for urgent response: urgent review by a clinician competent in assessing acutely ill patients; observations at least every hour'],
  high: ['High', 'urgent or emergency response: emergency assessment by a team with critical-care competencies; continuous monitoring'],
};

// "Now": the NEWS2 score with its clinical response, the latest observations with their age and band, the open alerts.
function drawNow(settings) {
  const score = tile?.news2;
  const [level, response] = responses[score?.response] ?? [];
  document.getElementById('now-news2').innerHTML = score
    ? `<p><span class="badge ${score.response}">NEWS2 ${score.total} · ${escapeHtml(level)}</span> <span class="age">${age(score.at)}, <time datetime="${escapeHtml(score.at)}">${when(score.at)}</time></span></p>
       <p class="response" data-response="${score.response}">Clinical response: ${escapeHtml(response)}.</p>`
    : '<p class="empty">No complete NEWS2 yet: it needs recent respiration rate, SpO2, systolic pressure, pulse and temperature.</p>';

  const latest = (tile?.latest ?? []).filter((r) => catalogue[r.vital] && !catalogue[r.vital].isEvent && r.vital !== 'device-battery');
  const keys = chartKeys().filter((k) => latest.some((r) => r.vital === k));
  const rows = keys.map((key) => {
    const reading = latest.find((r) => r.vital === key);
    const parameter = bandsOf(key);
    const measured = parameter && (reading.components ? reading.components[parameter.measure.split('.')[1]] : reading.value);
    const band = parameter && measured != null ? bandOf(parameter.bands, charted(key, measured)) : null;
    return `<tr data-vital="${key}"><th scope="row">${escapeHtml(catalogue[key].display)}</th><td class="num">${escapeHtml(value(reading))}</td>
      <td><span class="age" title="${when(reading.time)}">${age(reading.time)}</span></td>
      <td>${band ? `<span class="band" data-score="${band.score}">${band.score}</span>` : '<span class="age">—</span>'}</td></tr>`;
  });
  if (settings) {
    rows.push(`<tr><th scope="row">Air or oxygen</th><td>${settings.onOxygen ? 'on oxygen' : 'air'}</td><td><span class="age">as set</span></td><td><span class="band" data-score="${settings.onOxygen ? 2 : 0}">${settings.onOxygen ? 2 : 0}</span></td></tr>`);
    const consciousness = { alert: 'A (alert)', newConfusion: 'C (new confusion)', voice: 'V (voice)', pain: 'P (pain)', unresponsive: 'U (unresponsive)' }[settings.consciousness] ?? settings.consciousness;
    const acvpu = settings.consciousness === 'alert' ? 0 : 3;
    rows.push(`<tr><th scope="row">Consciousness</th><td>${escapeHtml(consciousness)}</td><td><span class="age">as set</span></td><td><span class="band" data-score="${acvpu}">${acvpu}</span></td></tr>`);
  }
  document.getElementById('now-readings').innerHTML = rows.join('') || '<tr><td colspan="4" class="empty">No readings yet.</td></tr>';

  document.getElementById('now-alerts').innerHTML = openAlerts.map((a) => `<li data-alert="${escapeHtml(a.id)}" data-state="${a.state}">
    <span class="badge ${severity(a.severity)}">${severity(a.severity)}</span> ${escapeHtml(a.summary)}
    <span class="age">raised <time datetime="${escapeHtml(a.raisedAt)}">${when(a.raisedAt)}</time> (${age(a.raisedAt)})${a.state === 'acknowledged' ? ', acknowledged' : ''}</span>
    ${a.state === 'raised' && canAct ? `<button type="button" class="primary" data-acknowledge="${escapeHtml(a.id)}" aria-label="Acknowledge: ${escapeHtml(a.summary)}">Acknowledge</button>` : ''}</li>`).join('')
    || '<li class="empty">No open alerts.</li>';
}

async function loadNow() {
  tile = (await api.get(`/api/v1/ward?patientId=${encodeURIComponent(patientId)}`))[0] ?? null;
  openAlerts = (await api.get(`/api/v1/alerts?patientId=${encodeURIComponent(patientId)}&state=active&limit=100`))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || new Date(a.raisedAt) - new Date(b.raisedAt));
}

async function acknowledge(id) {
  await api.post(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, {});
  const status = document.getElementById('status');
  status.classList.remove('error');
  status.textContent = 'Alert acknowledged.';
  await refreshNow();
  await drawRest();
}

async function refreshNow() {
  await loadNow();
  drawNow(await api.get(`${base}/alert-settings`));
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

function drawDevices() {
  document.getElementById('name').textContent = tile?.name ?? 'Patient';
  document.title = `${tile?.name ?? 'Patient'} — OpenWard`;
  document.getElementById('devices').innerHTML = (tile?.devices ?? []).map((d) => `<li>${escapeHtml(d.model)} (${escapeHtml(d.id)}):
    ${d.connected ? 'connected' : 'not connected'}${d.lastReadingAt ? `, last reading ${age(d.lastReadingAt)}` : ''}${d.batteryPercent != null ? `, battery ${Math.round(d.batteryPercent)} %` : ''}</li>`).join('')
    || '<li class="empty">No devices assigned.</li>';
}

// Live updates and period changes redraw "Now", the chart and the lists, never the settings form (a clinician may be editing it).
async function drawAll() {
  await refreshNow();
  drawDevices();
  await drawChart();
  await drawRest();
}

try {
  const me = await startPage('index.html');
  canEdit = me.role === 'clinician';
  canAct = ['clinician', 'nurse'].includes(me.role);
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
  news2Chart = await api.get(`${base}/news2/bands`);
  chartedKeys = latest.map((r) => r.vital).filter((k) => catalogue[k] && !catalogue[k].isEvent && k !== 'device-battery');
  await loadNow();
  // The page opens on what is alerting: the vital sign of the most severe open alert (the oldest of equals), else the
  // first NEWS2 parameter with readings.
  const keys = chartKeys();
  const opening = openAlerts.map(vitalFor).find((k) => k && keys.includes(k)) ?? keys.find((k) => chartedKeys.includes(k)) ?? keys[0];
  document.getElementById('vital').innerHTML = keys.map((k) => `<option value="${k}"${k === opening ? ' selected' : ''}>${escapeHtml(catalogue[k].display)}</option>`).join('');
  document.getElementById('vital').addEventListener('change', () => drawChart().then(drawSettings).catch(showError));
  document.getElementById('settings').addEventListener('submit', (event) => saveSettings(event).catch(showError));
  document.getElementById('now-alerts').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-acknowledge]');
    if (button) acknowledge(button.dataset.acknowledge).catch(showError);
  });
  document.querySelectorAll('[data-range]').forEach((button) => button.addEventListener('click', () => {
    range = button.dataset.range;
    document.querySelectorAll('[data-range]').forEach((b) => b.setAttribute('aria-pressed', String(b === button)));
    drawChart().then(drawRest).catch(showError);
  }));
  await drawAll();
  await drawSettings();
  document.getElementById('note').hidden = !['clinician', 'nurse'].includes(me.role);
  document.getElementById('note').addEventListener('submit', (event) => addNote(event).catch(showError));
  await drawNotes();
  document.body.dataset.ready = 'true';
  // New readings redraw "Now", the chart, table and lists at most every 10 s (a 1 Hz device would otherwise mean a
  // redraw, and its audited reads, every second); an alert change redraws "Now" and the lists at once.
  let chartDue = null;
  await listen({
    onWard: (ids) => {
      if (ids.includes(patientId)) chartDue ??= setTimeout(() => { chartDue = null; drawAll().catch(showError); }, 10_000);
    },
    onAlert: (a) => { if (a.patientId === patientId) refreshNow().then(drawRest).catch(showError); },
  });
} catch (error) {
  showError(error);
}
