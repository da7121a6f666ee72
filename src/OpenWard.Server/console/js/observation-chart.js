// The observation chart: each vital sign in a strip of its own on one shared time axis, stacked; behind a NEWS2
// parameter its bands shaded with the band's score written at the right (never colour alone), the patient's limits
// dashed; the cursor moves through every strip at once, and zooming one zooms them all.
const shades = { 1: 'rgba(230, 190, 0, 0.22)', 2: 'rgba(235, 120, 0, 0.26)', 3: 'rgba(200, 30, 30, 0.24)' };
const syncKey = 'observations';

/** The band (as the chart prints it) a charted value falls in — the same rule as NEWS2's scoring: the first whose top it does not pass. */
export function bandOf(bands, value) {
  return bands.find((b) => b.high == null || value <= b.high) ?? null;
}

/** The value as NEWS2 charts it: temperature to one decimal, everything else whole. */
export function charted(measure, value) {
  return measure === 'body-temperature' ? Math.round(value * 10) / 10 : Math.round(value);
}

// Where one band meets the next on a continuous axis: halfway between the one's top and the other's bottom.
function edges(bands) {
  return bands.map((band, i) => ({
    score: band.score,
    from: band.low == null ? -Infinity : (bands[i - 1]?.high != null ? (bands[i - 1].high + band.low) / 2 : band.low),
    to: band.high == null ? Infinity : (bands[i + 1]?.low != null ? (band.high + bands[i + 1].low) / 2 : band.high),
  }));
}

// The y range: the bands' finite edges with some room, widened to the values shown.
function yRange(bands) {
  const finite = edges(bands).flatMap((e) => [e.from, e.to]).filter(Number.isFinite);
  if (finite.length === 0) return undefined;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  const room = Math.max((hi - lo) * 0.25, 1);
  return (u, min, max) => [Math.min(lo - room, min ?? Infinity), Math.max(hi + room, max ?? -Infinity)];
}

function shadeBands(bands) {
  return (u) => {
    const { ctx, bbox } = u;
    const { min, max } = u.scales.y;
    ctx.save();
    ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const edge of edges(bands)) {
      const from = Math.max(edge.from, min);
      const to = Math.min(edge.to, max);
      if (edge.score === 0 || from >= to) continue;
      const top = u.valToPos(to, 'y', true);
      const bottom = u.valToPos(from, 'y', true);
      ctx.fillStyle = shades[edge.score];
      ctx.fillRect(bbox.left, top, bbox.width, bottom - top);
      if (bottom - top >= 10 * devicePixelRatio) {
        ctx.fillStyle = '#3a3a3a';
        ctx.fillText(String(edge.score), bbox.left + bbox.width - 4 * devicePixelRatio, (top + bottom) / 2);
      }
    }
    ctx.restore();
  };
}

/** Words for a strip's bands: "≤8 scores 3, 9–11 scores 1, …". */
export function describeBands(bands) {
  return bands.map((b) => `${b.low == null ? `≤${b.high}` : b.high == null ? `≥${b.low}` : `${b.low}–${b.high}`} scores ${b.score}`).join(', ');
}

/**
 * Draws the strips into the holder, each `{ key, title, label, data, series, bands, alerting }` (uPlot data and series,
 * the times in seconds), all on the x range [from, to]; returns the charts.
 */
export function drawStack(holder, strips, from, to) {
  holder.innerHTML = '';
  const charts = [];
  let zooming = false;
  const zoomAll = (u) => {
    if (zooming) return;
    zooming = true;
    const { min, max } = u.scales.x;
    charts.filter((c) => c !== u).forEach((c) => c.setScale('x', { min, max }));
    zooming = false;
  };
  const width = Math.max(280, holder.clientWidth - 8);
  for (const strip of strips) {
    const section = document.createElement('section');
    section.className = `strip${strip.alerting ? ' alerting' : ''}`;
    section.dataset.vital = strip.key;
    section.dataset.points = String(strip.points);
    const heading = document.createElement('h3');
    heading.id = `strip-${strip.key}`;
    heading.textContent = strip.title + (strip.alerting ? ' — alerting' : '');
    const plot = document.createElement('div');
    plot.className = 'plot';
    plot.setAttribute('role', 'img');
    plot.setAttribute('aria-label', strip.label);
    section.setAttribute('aria-labelledby', heading.id);
    section.append(heading, plot);
    holder.append(section);
    // The period's ends as empty points, so that every strip spans the same time axis.
    const data = [[from, ...strip.data[0], to], ...strip.data.slice(1).map((values) => [null, ...values, null])];
    const chart = new uPlot({
      width, height: 150, series: strip.series,
      scales: { x: { time: true }, y: strip.bands ? { range: yRange(strip.bands) } : {} },
      axes: [{}, { size: 56 }],
      cursor: { sync: { key: syncKey }, drag: { x: true, y: false } },
      legend: { live: false },
      hooks: { drawClear: strip.bands ? [shadeBands(strip.bands)] : [], setScale: [(u, key) => { if (key === 'x') zoomAll(u); }] },
    }, data, plot);
    // The legend names the measures; the limits are dashed lines described in the strip's label.
    chart.root.querySelectorAll('.u-legend .u-series').forEach((row, i) => { row.hidden = Boolean(strip.series[i]?.limit); });
    charts.push(chart);
  }
  return charts;
}
