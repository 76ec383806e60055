// Small SVG charts drawn in the browser from the API's figures: no chart library, no server-side rendering.
// Every chart carries a <title> and a table-like text alternative (aria-label) so its numbers can be read without it.
import { escape } from '/forms.js';

const COLOURS = ['#2e7d32', '#b8860b', '#c62828', '#1565c0', '#6a1b9a', '#667'];

/**
 * Horizontal stacked bars: one row per item, one segment per series ({label, rows: [{label, values: [..]}]}).
 * Bars are scaled to the largest row total; a row of zeros is drawn empty with its 0.
 */
export function stackedBars({ title, series, rows, id }) {
  const width = 640, labelWidth = 220, barWidth = width - labelWidth - 60, rowHeight = 26, legendHeight = 24;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const height = legendHeight + rows.length * rowHeight + 8;
  const legend = series.map((s, i) =>
    `<rect x="${labelWidth + i * 90}" y="4" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>` +
    `<text x="${labelWidth + i * 90 + 16}" y="15" font-size="12">${escape(s)}</text>`).join('');
  const bars = rows.map((row, r) => {
    const y = legendHeight + r * rowHeight;
    let x = labelWidth;
    const total = row.values.reduce((a, b) => a + b, 0);
    const segments = row.values.map((v, i) => {
      const w = (v / max) * barWidth;
      const rect = v > 0 ? `<rect class="segment" x="${x}" y="${y + 4}" width="${w}" height="${rowHeight - 8}" fill="${COLOURS[i % COLOURS.length]}"><title>${escape(row.label)} ${escape(series[i])}：${v}</title></rect>` : '';
      x += w;
      return rect;
    }).join('');
    return `<text x="${labelWidth - 6}" y="${y + rowHeight / 2 + 4}" font-size="12" text-anchor="end">${escape(row.label)}</text>${segments}` +
      `<text x="${x + 6}" y="${y + rowHeight / 2 + 4}" font-size="12">${total}</text>`;
  }).join('');
  const alt = rows.map((r) => `${r.label}：${r.values.map((v, i) => `${series[i]} ${v}`).join('，')}`).join('；');
  return `<figure class="chart" id="${escape(id)}"><figcaption>${escape(title)}</figcaption>
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(alt || '无数据')}" width="100%"><title>${escape(title)}</title>${legend}${bars}</svg>
    ${rows.length === 0 ? '<p>无数据</p>' : ''}</figure>`;
}

/**
 * Rates as bars on a 0–100 % scale with the threshold marked: [{label, value (0..1 or null), threshold, maximum}].
 * A rate without data reads 无数据; a rate that misses its threshold is red.
 */
export function rateBars({ title, rates, id }) {
  const width = 640, labelWidth = 160, barWidth = width - labelWidth - 90, rowHeight = 28;
  const height = rates.length * rowHeight + 8;
  const bars = rates.map((rate, r) => {
    const y = r * rowHeight + 4;
    const label = `<text x="${labelWidth - 6}" y="${y + 17}" font-size="12" text-anchor="end">${escape(rate.label)}</text>`;
    const frame = `<rect x="${labelWidth}" y="${y + 4}" width="${barWidth}" height="${rowHeight - 10}" fill="#eef"/>`;
    const mark = rate.threshold == null ? '' : `<line x1="${labelWidth + rate.threshold * barWidth}" x2="${labelWidth + rate.threshold * barWidth}" y1="${y}" y2="${y + rowHeight - 2}" stroke="#333" stroke-dasharray="3 2"><title>阈值 ${(rate.threshold * 100).toFixed(0)}%</title></line>`;
    if (rate.value == null) return `${label}${frame}${mark}<text x="${labelWidth + 6}" y="${y + 17}" font-size="12">无数据</text>`;
    const met = rate.maximum ? rate.value < rate.threshold : rate.value >= rate.threshold;
    const shown = `${(rate.value * 100).toFixed(2)}%`;
    return `${label}${frame}<rect x="${labelWidth}" y="${y + 4}" width="${Math.min(1, rate.value) * barWidth}" height="${rowHeight - 10}" fill="${met ? '#2e7d32' : '#c62828'}"><title>${escape(rate.label)} ${shown}</title></rect>${mark}` +
      `<text x="${labelWidth + barWidth + 6}" y="${y + 17}" font-size="12">${shown}</text>`;
  }).join('');
  const alt = rates.map((r) => `${r.label}：${r.value == null ? '无数据' : `${(r.value * 100).toFixed(2)}%`}`).join('；');
  return `<figure class="chart" id="${escape(id)}"><figcaption>${escape(title)}</figcaption>
    <svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(alt)}" width="100%"><title>${escape(title)}</title>${bars}</svg></figure>`;
}
