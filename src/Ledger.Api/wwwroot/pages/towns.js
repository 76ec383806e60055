// 镇（街）/ 单位 / 村: accountability for a year with SVG charts (charts.js) drawn from the API's figures:
// findings by area and severity, rectification (now, and at each past quarter's end by the API's asOf), accuracy.
// The API answers only the offices, reviewers and the town or unit itself; a refusal is shown as 无权/未找到.
import { api } from '/api.js';
import { escape } from '/forms.js';
import { hashParams, refusalCard } from '/pages/common.js';
import { stackedBars, rateBars } from '/charts.js';

const SCOPES = { town: ['towns', '镇（街）'], unit: ['units', '单位'] };

/** The ends of the year's quarters already past (China time), as asOf moments. */
function pastQuarterEnds(year) {
  const ends = [];
  for (const month of [3, 6, 9, 12]) {
    const end = new Date(`${year}-${String(month).padStart(2, '0')}-${month === 6 || month === 9 ? 30 : 31}T23:59:59+08:00`);
    if (end < new Date()) ends.push({ label: `${month / 3} 季度末`, at: end.toISOString() });
  }
  return ends;
}

function rectificationRow(label, f) {
  return { label, values: [f.closedOnTime, f.closedLate, f.open - f.overdue, f.overdue] };
}
const RECTIFICATION_SERIES = ['按期销号', '逾期销号', '整改中', '逾期未改'];

/** 镇（街）or 单位 accountability: scope "town" or "unit", its code, the year from the hash (default this year). */
export async function accountabilityPage(app, me, scope, code) {
  const [path, noun] = SCOPES[scope];
  document.title = `${noun}履责情况 - 扶贫督查台账`;
  const year = Number(hashParams().get('year')) || new Date().getFullYear();
  let answer;
  try {
    answer = await api('GET', `/api/${path}/${encodeURIComponent(code)}/accountability?year=${year}`);
  } catch (e) {
    app.innerHTML = refusalCard(e, `${noun} ${code} 的履责情况`);
    return;
  }
  const f = answer.figures;
  const rates = [
    { label: '错退率', rate: f.accuracy.wrongExit }, { label: '漏评率', rate: f.accuracy.missed },
    { label: '错评率', rate: f.accuracy.wrongEnrolment }, { label: '群众认可度', rate: f.accuracy.publicApproval },
  ].map(({ label, rate }) => ({ label, value: rate.value, threshold: rate.threshold, maximum: rate.thresholdIsMaximum }));
  app.innerHTML = `
    <section class="card" id="accountability">
      <h1>${escape(answer.name)}（${noun} ${escape(answer.code)}）${year} 年履责情况</h1>
      <form id="year-form" class="inline"><label for="acc-year">年度</label><input id="acc-year" name="year" inputmode="numeric" value="${year}">
        <button type="submit">查看</button></form>
      <p>督查 ${f.inspections.length} 次${f.comprehensiveCovered ? '（含综合督查）' : ''}；问题 <b id="problems-total">${f.findings.total}</b> 个
        （一般 ${f.findings.minor}，较重 ${f.findings.serious}，严重 ${f.findings.grave}）；整改要求 ${f.rectification.issued} 项，
        未销号 ${f.rectification.open} 项，逾期 ${f.rectification.overdue} 项，被退回过 ${f.rectification.returnedAtLeastOnce} 项。</p>
      <p>资金检查 ${f.funding.checks} 次：下达 ${f.funding.allocated} 元，到位 ${f.funding.arrived} 元，支出 ${f.funding.spent} 元，闲置 ${f.funding.idle} 元，违规 ${f.funding.misused} 元。</p>
      <p><a href="#/cases?${scope}=${encodeURIComponent(code)}&year=${year}">${scope === 'town' ? '查看本镇（街）案件' : ''}</a></p>
    </section>
    <section class="card">
      ${stackedBars({ id: 'chart-areas', title: '问题（按督查内容和严重程度）', series: ['一般', '较重', '严重'],
        rows: f.findings.byArea.map((a) => ({ label: `${a.number}. ${a.areaLabel}`, values: [a.minor, a.serious, a.grave] })) })}
      <div id="chart-rectification">${stackedBars({ id: 'chart-rectification-now', title: '整改进度', series: RECTIFICATION_SERIES,
        rows: [rectificationRow('现在', f.rectification)] })}</div>
      ${rateBars({ id: 'chart-accuracy', title: `识别精准度（复核 ${f.accuracy.reviews} 次；虚线为阈值）`, rates })}
    </section>
    <section class="card">
      <h2>村</h2>
      ${answer.villages.length === 0 ? '<p>无。</p>' : `<table id="villages"><thead><tr><th>村</th><th>状态</th><th>记录</th><th>问题</th><th>未销号</th><th>逾期</th></tr></thead>
      <tbody>${answer.villages.map((v) => `<tr><td><a href="#/villages/${escape(v.code)}">${escape(v.name)}</a></td><td>${escape(v.statusLabel)}</td>
        <td>${v.records}</td><td>${v.problems}</td><td>${v.requirementsOpen}</td><td>${v.overdue}</td></tr>`).join('')}</tbody></table>`}
    </section>`;
  app.querySelector('#year-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/${path}/${encodeURIComponent(code)}?year=${encodeURIComponent(event.target.year.value)}`;
  });
  // Rectification over time: the same route as of each past quarter's end, drawn when they come.
  const ends = pastQuarterEnds(year);
  if (ends.length === 0) return;
  const past = await Promise.all(ends.map((end) =>
    api('GET', `/api/${path}/${encodeURIComponent(code)}/accountability?year=${year}&asOf=${encodeURIComponent(end.at)}`)
      .then((a) => rectificationRow(end.label, a.figures.rectification), () => null)));
  const slot = app.querySelector('#chart-rectification');
  if (!slot) return;   // the page changed meanwhile
  slot.innerHTML = stackedBars({ id: 'chart-rectification-time', title: '整改进度（各季度末及现在）', series: RECTIFICATION_SERIES,
    rows: [...past.filter(Boolean), rectificationRow('现在', f.rectification)] });
}

/** 村: the village's profile (status history, pairings, decisions, cases) as the API gives it to the caller. */
export async function villagePage(app, me, code) {
  document.title = '村 - 扶贫督查台账';
  let p;
  try {
    p = await api('GET', `/api/villages/${encodeURIComponent(code)}/profile`);
  } catch (e) {
    app.innerHTML = refusalCard(e, `村 ${code} 的情况`);
    return;
  }
  const list = (items) => (items.length ? `<ul>${items.map((c) => `<li><a href="#/cases/${c.id}">${escape(c.description)}</a>　${escape(c.areaLabel)}　${escape(c.severityLabel || '')}　${escape(c.statusLabel)}　${escape(c.rectificationLabel || '')}</li>`).join('')}</ul>` : '<p>无。</p>');
  const all = [...p.findings, ...p.fundingChecks, ...p.reviews];
  app.innerHTML = `
    <section class="card" id="village">
      <h1>${escape(p.village.name)}（村 ${escape(code)}）</h1>
      <p>结对帮扶单位：${p.pairingUnits.map((u) => escape(u.name)).join('、') || '无'}；退出（纳入）决定 ${p.decisions.length} 件。</p>
      ${stackedBars({ id: 'chart-village', title: '案件（按督查内容和严重程度）', series: ['一般', '较重', '严重'],
        rows: [...new Set(all.filter((c) => c.isProblem).map((c) => c.areaLabel))].map((area) => ({ label: area,
          values: ['minor', 'serious', 'grave'].map((s) => all.filter((c) => c.isProblem && c.areaLabel === area && c.severity === s).length) })) })}
    </section>
    <section class="card"><h2>督查发现</h2>${list(p.findings)}</section>
    <section class="card"><h2>资金检查</h2>${list(p.fundingChecks)}</section>
    <section class="card"><h2>识别复核</h2>${list(p.reviews)}</section>`;
}
