// The summary of a job as a ring chart (valid / risky / invalid / not checked yet) with a legend.
import { el, formatNumber, svg } from './dom.js';

const RADIUS = 15.9155; // circumference 100, so a segment's dash length is its percentage

/** Returns the slices of a job's summary, in drawing order. */
export function slices(job) {
  const s = job.summary || {};
  const valid = s.deliverableCount || 0;
  const risky = s.riskyCount || 0;
  const invalid = s.undeliverableCount || 0;
  const pending = Math.max(0, (job.emailCount || 0) - (s.totalEmails || 0));
  return [
    { key: 'valid', label: 'Valid', count: valid },
    { key: 'risky', label: 'Risky', count: risky },
    { key: 'invalid', label: 'Invalid', count: invalid },
    { key: 'pending', label: 'Not checked yet', count: pending },
  ];
}

/** An SVG ring and a legend for `job`. */
export function summaryChart(job) {
  const parts = slices(job);
  const total = parts.reduce((sum, p) => sum + p.count, 0);
  const description = parts.map((p) => `${p.label}: ${formatNumber(p.count)}`).join(', ');
  const ring = svg('svg', { class: 'ring', viewBox: '0 0 42 42', role: 'img', 'aria-label': description },
    svg('title', { text: description }),
    svg('circle', { class: 'ring-track', cx: 21, cy: 21, r: RADIUS }));
  let offset = 25; // start at 12 o'clock
  for (const part of parts) {
    if (!total || !part.count) continue;
    const length = (part.count * 100) / total;
    ring.append(svg('circle', {
      class: `ring-segment seg-${part.key}`,
      cx: 21,
      cy: 21,
      r: RADIUS,
      'stroke-dasharray': `${length} ${100 - length}`,
      'stroke-dashoffset': offset,
      'data-slice': part.key,
    }));
    offset -= length;
  }
  const checked = total - parts[3].count;
  ring.append(
    svg('text', { class: 'ring-number', x: 21, y: 21, text: formatNumber(checked) }),
    svg('text', { class: 'ring-caption', x: 21, y: 26, text: 'checked' }),
  );

  const legend = el('ul', { class: 'legend' });
  for (const part of parts) {
    const share = total ? Math.round((part.count * 1000) / total) / 10 : 0;
    legend.append(el('li', { class: `legend-${part.key}` },
      el('span', { class: `swatch seg-${part.key}` }),
      el('span', { class: 'legend-label', text: part.label }),
      el('span', { class: 'legend-count', 'data-count': part.key, text: formatNumber(part.count) }),
      el('span', { class: 'legend-share', text: `${share}%` })));
  }
  return el('div', { class: 'chart' }, ring, legend);
}
