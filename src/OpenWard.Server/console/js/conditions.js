// What an alert is about, read from its condition: "threshold:spo2:low", "gap:heart-rate",
// "trend:blood-pressure.systolic:above-baseline" and "trend:body-weight:gain" name a measure; "news2" is the
// patient's score; the rest (devices, emergencies, the early warning) name no vital sign to chart.

/** The measure an alert's condition names ("spo2", "blood-pressure.systolic"), or null. */
export function measureOf(alert) {
  const [kind, measure] = String(alert?.condition ?? '').split(':');
  return ['threshold', 'gap', 'trend'].includes(kind) && measure ? measure : null;
}

/** The vital sign an alert's condition names ("blood-pressure" for its systolic measure), or null. */
export function vitalOf(alert) {
  return measureOf(alert)?.split('.')[0] ?? null;
}

/** Whether the alert is the patient's NEWS2. */
export function isNews2(alert) {
  return alert?.condition === 'news2';
}
