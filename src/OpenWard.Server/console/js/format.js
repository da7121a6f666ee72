// How values, times and severities read in the console.
let catalogue = null;

/** The vital-sign catalogue (names, units, components), loaded once. */
export async function vitals(api) {
  catalogue ??= Object.fromEntries((await api.get('/api/v1/vitals')).map((v) => [v.key, v]));
  return catalogue;
}

/** "2 min ago", "3 h ago", "5 d ago". */
export function age(time, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(time).getTime()) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A reading's value with its unit as it is shown, components joined as clinicians write them (120/80). */
export function value(reading) {
  const shownIn = unit(shownUnit(reading.vital, reading.unit));
  if (reading.components) {
    const parts = Object.values(reading.components).map((v) => Math.round(shown(reading.vital, v)));
    return `${parts.join('/')} ${shownIn}`;
  }
  const x = shown(reading.vital, reading.value);
  const number = Math.abs(x) >= 100 || Number.isInteger(x) ? Math.round(x) : x.toFixed(1);
  return `${number} ${shownIn}`.trim();
}

/** UCUM units as people write them (mmHg, °C, /min); the one place the console turns a unit into words. */
export function unit(ucum) {
  return {
    '/min': '/min', '{beats}/min': '/min', '{breaths}/min': '/min', '%': '%', 'mm[Hg]': 'mmHg', kPa: 'kPa', Cel: '°C', '[degF]': '°F',
    kg: 'kg', g: 'g', '[lb_av]': 'lb', cm: 'cm', 'kg/m2': 'kg/m²', 'mg/dL': 'mg/dL', 'mmol/L': 'mmol/L', 'L/min': 'L/min',
    '{event}': '', '{steps}': 'steps',
  }[ucum] ?? ucum;
}

const glucoseMgPerDlPerMmolPerL = 18.016;
let display = { glucoseUnit: 'mmol/L' };

/** Reads how this deployment shows values (`GET /api/v1/display`); every page does it once as it starts. */
export async function loadDisplay(api) {
  display = await api.get('/api/v1/display');
}

/** The UCUM unit a vital sign is shown in: the deployment's choice for blood glucose, the stored unit otherwise. */
export function shownUnit(vital, stored) {
  return vital === 'blood-glucose' ? display.glucoseUnit : stored;
}

/** A value in the vital sign's stored unit (blood glucose in mg/dL), converted to the unit it is shown in. */
export function shown(vital, x) {
  return x != null && vital === 'blood-glucose' && display.glucoseUnit === 'mmol/L' ? x / glucoseMgPerDlPerMmolPerL : x;
}

/** A local date and time, to the minute. */
export function when(time) {
  return new Date(time).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A local time of day, to the minute. */
export function time(at) {
  return new Date(at).toLocaleTimeString(undefined, { timeStyle: 'short' });
}

const severities = ['none', 'warning', 'urgent', 'critical'];

/** A severity's name ("warning", "urgent", "critical"), whether the server sent it as a name or a number. */
export function severity(sent) {
  return typeof sent === 'number' ? severities[sent] ?? 'none' : String(sent ?? 'none').toLowerCase();
}

/** Ranks severities for sorting: critical highest. */
export function severityRank(sent) {
  return Math.max(0, severities.indexOf(severity(sent)));
}
