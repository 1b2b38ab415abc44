// Alerts per minute by severity, as stacked bars in inline SVG (GET api/alerts/histogram?minutes=60).
// Colours come from style.css (.sev-N), so the chart follows the theme.
import {formatClock, h, replace, s} from './dom.js';

const HEIGHT = 150;
const LEFT = 34;
const BOTTOM = 20;
const TOP = 8;

/** The chart's state: the histogram from the server, and the alerts the stream added since. */
export class AlertChart {
  constructor() {
    this.data = null;
    this.figure = h('figure', {class: 'chart', 'data-test': 'alerts-chart'});
    this.resize = new ResizeObserver(() => this.draw());
    this.resize.observe(this.figure);
  }

  /** Replaces the histogram: {from, bucketMillis, severities, buckets: [{t, counts}]}. */
  set(data) {
    this.data = data;
    this.draw();
  }

  /** Counts one alert of the live stream into its minute, when that minute is on the chart. */
  add(timeMs, severity) {
    const d = this.data;
    if (!d || !d.buckets.length) {
      return;
    }
    const i = Math.floor((timeMs - d.buckets[0].t) / d.bucketMillis);
    if (i < 0 || i >= d.buckets.length) {
      return;
    }
    const key = String(severity);
    d.buckets[i].counts[key] = (d.buckets[i].counts[key] || 0) + 1;
    if (!d.severities.includes(severity)) {
      d.severities.push(severity);
      d.severities.sort((a, b) => a - b);
    }
    this.draw();
  }

  stop() {
    this.resize.disconnect();
  }

  draw() {
    const d = this.data;
    if (!d) {
      replace(this.figure, h('p', {class: 'muted'}, 'Loading the last hour…'));
      return;
    }
    const width = Math.max(320, Math.floor(this.figure.clientWidth || 800));
    const totals = d.buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0));
    const total = totals.reduce((a, n) => a + n, 0);
    const max = Math.max(1, ...totals);
    const peak = totals.indexOf(Math.max(...totals));
    const minutes = d.buckets.length;
    const summary = total === 0 ? `No alerts in the last ${minutes} minutes.`
      : `${total} alert${total === 1 ? '' : 's'} in the last ${minutes} minutes; at most ${totals[peak]} in one minute, at `
        + `${formatClock(d.buckets[peak].t)}.`;
    const svg = s('svg', {
      viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-label': summary,
      'data-test': 'chart-svg', 'data-total': total,
    });
    drawAxes(svg, width, max, d);
    drawBars(svg, width, max, d, totals);
    replace(this.figure, svg,
      h('figcaption', {}, h('span', {'data-test': 'chart-summary'}, summary), ' ', legend(d.severities)));
  }
}

function drawAxes(svg, width, max, d) {
  const plot = HEIGHT - TOP - BOTTOM;
  const lines = max % 2 === 0 ? [[max, TOP], [max / 2, TOP + plot / 2], [0, TOP + plot]] : [[max, TOP], [0, TOP + plot]];
  for (const [value, y] of lines) {
    svg.append(s('line', {class: 'grid', x1: LEFT, x2: width, y1: y, y2: y}));
    svg.append(s('text', {class: 'axis', x: LEFT - 4, y: y + 4, 'text-anchor': 'end'}, String(value)));
  }
  const n = d.buckets.length;
  const step = (width - LEFT) / n;
  for (let i = 0; i < n; i += 15) {
    svg.append(s('text', {class: 'axis', x: LEFT + i * step, y: HEIGHT - 5}, formatClock(d.buckets[i].t)));
  }
  svg.append(s('text', {class: 'axis', x: width - 2, y: HEIGHT - 5, 'text-anchor': 'end'}, 'now'));
}

function drawBars(svg, width, max, d, totals) {
  const plot = HEIGHT - TOP - BOTTOM;
  const step = (width - LEFT) / d.buckets.length;
  const barWidth = Math.max(1, step - 1.5);
  d.buckets.forEach((b, i) => {
    if (!totals[i]) {
      return;
    }
    const g = s('g', {}, s('title', {}, `${formatClock(b.t)}: ${totals[i]} alerts (`
      + Object.entries(b.counts).filter(([, n]) => n).map(([sev, n]) => `severity ${sev}: ${n}`).join(', ') + ')'));
    let y = TOP + plot;
    for (const sev of d.severities) {
      const n = b.counts[String(sev)] || 0;
      if (!n) {
        continue;
      }
      const hgt = (n / max) * plot;
      y -= hgt;
      g.append(s('rect', {class: `bar sev-${sev}`, x: LEFT + i * step, y, width: barWidth, height: Math.max(hgt, 0.5)}));
    }
    svg.append(g);
  });
}

function legend(severities) {
  return h('span', {class: 'legend'}, severities.map((sev) =>
    h('span', {class: 'legend-item'}, h('span', {class: `swatch sev-${sev}`, 'aria-hidden': 'true'}), `severity ${sev}`)));
}
