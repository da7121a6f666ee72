// The patient portal: a patient's own readings, their week as a small chart per vital sign and in plain words,
// adding a reading by hand, and who has looked at their record.
import { api } from './api.js';
import { startPage, escapeHtml, showError } from './shell.js';
import { listen } from './live.js';
import { age, shown, shownUnit, time, unit, when } from './format.js';
import { lineChart } from './charts.js';

// Each vital sign's name for the patient, and its stored unit (UCUM) or the words said instead of one.
const plain = {
  'heart-rate': ['Pulse', 'beats a minute'], spo2: ['Oxygen level', '%'], 'respiratory-rate': ['Breathing rate', 'breaths a minute'],
  'blood-pressure': ['Blood pressure', 'mm[Hg]'], 'body-temperature': ['Temperature', 'Cel'], 'body-weight': ['Weight', 'kg'],
  'blood-glucose': ['Blood sugar', 'mg/dL'], 'step-count': ['Steps', 'steps'],
};
const entryUnits = { 'blood-pressure': 'mm[Hg]', 'heart-rate': '/min', 'body-weight': 'kg', 'blood-glucose': 'mg/dL', 'body-temperature': 'Cel', spo2: '%' };
let patientId = '';
let thresholds = [];
let weekCharts = [];

// The unit of a vital sign as the patient reads it (blood sugar in the deployment's unit).
function words(vital) {
  return unit(shownUnit(vital, plain[vital][1]));
}

// Temperatures, weights and blood sugar in mmol/L to a tenth, everything else in whole numbers, as people read them off the device.
function number(x, vital) {
  const tenths = ['body-temperature', 'body-weight'].includes(vital) || shownUnit(vital, plain[vital][1]) === 'mmol/L';
  return tenths ? shown(vital, x).toFixed(1) : String(Math.round(shown(vital, x)));
}

function reading(r) {
  return r.components ? Object.values(r.components).map((v) => number(v, r.vital)).join('/') : number(r.value, r.vital);
}

function comparedWithLimits(r) {
  const measures = r.components ? Object.entries(r.components).map(([k, v]) => [`${r.vital}.${k}`, v]) : [[r.vital, r.value]];
  for (const [measure, v] of measures) {
    const bands = thresholds.find((t) => t.measure === measure);
    if (bands?.high != null && v > bands.high) return `higher than the ${number(bands.high, r.vital)} your care team set as your upper limit`;
    if (bands?.low != null && v < bands.low) return `lower than the ${number(bands.low, r.vital)} your care team set as your lower limit`;
  }
  return thresholds.some((t) => measures.some(([m]) => t.measure === m)) ? 'within the limits your care team set' : '';
}

async function drawLatest() {
  const latest = (await api.get(`/api/v1/patients/${patientId}/latest`)).filter((r) => plain[r.vital]);
  document.getElementById('latest').innerHTML = latest.map((r) => {
    const judged = comparedWithLimits(r);
    return `<li data-vital="${r.vital}"><strong>${plain[r.vital][0]}:</strong> ${reading(r)} ${words(r.vital)}, ${age(r.time)}${judged ? ` — ${judged}` : ''}.</li>`;
  }).join('') || '<li class="empty">No readings yet.</li>';
  return latest;
}

// The limits the care team set for a vital sign, as dashed lines on its chart (blood pressure's would crowd it).
function limitLines(vital, times) {
  const bands = thresholds.find((t) => t.measure === vital);
  return [['your lower limit', bands?.low], ['your upper limit', bands?.high]].filter(([, limit]) => limit != null)
    .map(([label, limit]) => ({ label, values: times.map(() => shown(vital, limit)), limit: true }));
}

// The week of one vital sign as a small chart of its hourly averages, with the sentence that says the same.
function weekChart(holder, r, hours, sentence) {
  const figure = document.createElement('figure');
  figure.className = 'week-chart';
  figure.dataset.vital = r.vital;
  figure.innerHTML = `<figcaption>${plain[r.vital][0]} (${escapeHtml(words(r.vital))}), hourly averages</figcaption><div></div>`;
  holder.append(figure);
  const times = hours.map((b) => new Date(b.start).getTime() / 1000);
  const keys = r.components ? Object.keys(r.components) : [null];
  const lines = keys.map((k) => ({
    label: k ?? plain[r.vital][0],
    values: hours.map((b) => shown(r.vital, k ? b.components?.[k]?.mean ?? null : b.mean)),
  }));
  if (!r.components) lines.push(...limitLines(r.vital, times));
  weekCharts.push(lineChart(figure.querySelector('div'), { times, lines, unit: words(r.vital), description: sentence }));
}

async function drawWeek(latest) {
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const lines = [];
  const charts = document.getElementById('week-charts');
  weekCharts.forEach((chart) => chart.destroy());
  weekCharts = [];
  charts.innerHTML = '';
  // Steps arrive as counts since the previous report: an average of those would mislead, so the week leaves them out.
  for (const r of latest.filter((reading) => reading.vital !== 'step-count')) {
    const page = await api.get(`/api/v1/patients/${patientId}/readings?vital=${r.vital}&from=${encodeURIComponent(from)}&resolution=1h`);
    const hours = page.buckets.filter((b) => b.count > 0);
    if (hours.length === 0) continue;
    const name = plain[r.vital][0];
    const count = hours.reduce((n, b) => n + b.count, 0);
    let sentence;
    if (r.components) {
      const keys = Object.keys(r.components);
      const mean = (k) => hours.reduce((s, b) => s + (b.components?.[k]?.mean ?? 0) * b.count, 0) / count;
      sentence = `${name}: averaged ${keys.map((k) => number(mean(k), r.vital)).join('/')} ${words(r.vital)} over ${count} reading${count === 1 ? '' : 's'}.`;
    } else {
      const mean = hours.reduce((s, b) => s + b.mean * b.count, 0) / count;
      const low = Math.min(...hours.map((b) => b.min));
      const high = Math.max(...hours.map((b) => b.max));
      sentence = `${name}: averaged ${number(mean, r.vital)} ${words(r.vital)} (lowest ${number(low, r.vital)}, highest ${number(high, r.vital)}) over ${count} reading${count === 1 ? '' : 's'}.`;
    }
    lines.push(`<li><strong>${name}:</strong>${sentence.slice(name.length + 1)}</li>`);
    weekChart(charts, r, hours, sentence);
  }
  document.getElementById('week').innerHTML = lines.join('') || '<li class="empty">No readings in the past week.</li>';
}

// One row per visit, in the server's plain words; a visit's last request is its time when it ran on.
function visitRows(visits, sentence, empty) {
  return visits.map((v) => `<tr><td>${when(v.from)}${new Date(v.to) - new Date(v.from) >= 60_000 ? ` to ${time(v.to)}` : ''}</td>
    <td>${escapeHtml(sentence(v))}.</td></tr>`).join('') || `<tr><td colspan="2" class="empty">${empty}</td></tr>`;
}

async function drawAccess() {
  // The patient's own visits are left out: this list is about everyone else — another portal account on the record included.
  const visits = (await api.get(`/api/v1/patients/${patientId}/access-log/visits?limit=100`)).filter((v) => !v.self);
  document.getElementById('access').innerHTML = visitRows(visits.filter((v) => v.summary).slice(0, 30), (v) => v.summary, 'Nobody else yet.');
  document.getElementById('refused').innerHTML = visitRows(visits.filter((v) => v.refusedSummary).slice(0, 30), (v) => v.refusedSummary, 'None.');
}

function fitForm() {
  const form = document.getElementById('enter');
  const vital = form.elements.vital.value;
  const isPressure = vital === 'blood-pressure';
  document.getElementById('second-label').hidden = !isPressure;
  form.elements.second.required = isPressure;
  document.getElementById('first-label').firstChild.textContent = isPressure ? 'Upper number (systolic) ' : 'Value ';
  document.getElementById('unit').textContent = unit(shownUnit(vital, entryUnits[vital]));
}

async function enter(event) {
  event.preventDefault();
  const form = event.target;
  const vital = form.elements.vital.value;
  const first = Number(form.elements.first.value.replace(',', '.'));
  const second = Number(form.elements.second.value.replace(',', '.'));
  const body = vital === 'blood-pressure'
    ? { vital, components: { systolic: first, diastolic: second }, unit: entryUnits[vital] }
    : { vital, value: first, unit: shownUnit(vital, entryUnits[vital]) };
  const status = document.getElementById('status');
  try {
    await api.post(`/api/v1/patients/${patientId}/readings`, body);
    status.classList.remove('error');
    status.textContent = `Saved: ${plain[vital][0].toLowerCase()} ${vital === 'blood-pressure' ? `${first}/${second}` : first} ${unit(shownUnit(vital, entryUnits[vital]))}.`;
    form.reset();
    fitForm();
    await drawWeek(await drawLatest());
  } catch (error) {
    status.classList.add('error');
    status.textContent = `Not saved: ${error.message}`;
  }
}

try {
  const me = await startPage('portal.html');
  patientId = encodeURIComponent(me.patientId);
  document.getElementById('name').textContent = `${me.displayName}: my readings`;
  thresholds = await api.get(`/api/v1/patients/${patientId}/thresholds`);
  fitForm();
  document.getElementById('enter').elements.vital.addEventListener('change', fitForm);
  document.getElementById('enter').addEventListener('submit', enter);
  await drawWeek(await drawLatest());
  await drawAccess();
  await listen({ onWard: () => drawLatest().catch(showError) });
} catch (error) {
  showError(error);
}
