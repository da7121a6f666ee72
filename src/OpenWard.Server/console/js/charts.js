// Charts of readings over time, drawn with the vendored uPlot (the page loads vendor/uPlot.iife.min.js and
// vendor/uPlot.min.css). Each chart also says what it shows in words, for those who cannot see it.
const colours = ['#0b5cad', '#7a2e8e', '#1e6b34'];

/**
 * Draws a line chart into `holder` and returns it (call destroy() before drawing into the holder again).
 * `times` are seconds since 1970; each line is `{ label, values }` (null where there is no value), or a limit
 * `{ label, values, limit: true }`, drawn dashed.
 */
export function lineChart(holder, { times, lines, unit, height = 160, description }) {
  const series = [{}, ...lines.map((line, i) => (line.limit
    ? { label: line.label, stroke: '#9a3f00', dash: [6, 4], width: 1, points: { show: false } }
    : { label: line.label, stroke: colours[i % colours.length], width: 2, spanGaps: true, points: { show: true, size: 5 } }))];
  holder.setAttribute('role', 'img');
  holder.setAttribute('aria-label', description);
  return new uPlot({
    width: Math.max(240, holder.clientWidth - 8), height, series,
    scales: { x: { time: true } }, axes: [{}, { label: unit, size: 56 }], legend: { live: false }, cursor: { drag: { x: false, y: false } },
  }, [times, ...lines.map((line) => line.values)], holder);
}
