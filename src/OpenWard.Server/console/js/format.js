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

/** A reading's value with its unit, components joined as clinicians write them (120/80). */
export function value(reading) {
  if (reading.components) {
    const parts = Object.values(reading.components).map((v) => Math.round(v));
    return `${parts.join('/')} ${unit(reading.unit)}`;
  }
  const number = Math.abs(reading.value) >= 100 || Number.isInteger(reading.value) ? Math.round(reading.value) : reading.value.toFixed(1);
  return `${number} ${unit(reading.unit)}`;
}

/** UCUM units as people read them. */
export function unit(ucum) {
  return { '/min': '/min', '%': '%', 'mm[Hg]': 'mmHg', Cel: '°C', kg: 'kg', 'mg/dL': 'mg/dL', '{event}': '', '{steps}': 'steps' }[ucum] ?? ucum;
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
