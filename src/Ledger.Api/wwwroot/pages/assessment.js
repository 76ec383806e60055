// 考核: the year's ranking of towns and units (无数据 where nothing was inspected, unranked), each score's breakdown
// line by line with the cases and events it rests on, the published revisions and, for the poverty office, publishing.
// Scores come from the API's scorer; the page computes nothing.
import { api } from '/api.js';
import { escape, showErrors, clearErrors } from '/forms.js';
import { hashParams, refusalCard, readsAll } from '/pages/common.js';

const SCOPE_NOUN = { towns: '镇（街）', units: '单位' };
const CASE_IN_TEXT = /case ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

function rankingTable(scope, year, list) {
  if (list.scores.length === 0) return `<p>无数据。</p>`;
  return `<table class="ranking" data-scope="${scope}"><thead><tr><th>名次</th><th>${SCOPE_NOUN[scope]}</th><th>得分</th><th>折算分</th><th>等次</th><th>依据</th></tr></thead>
    <tbody>${list.scores.map((s) => `<tr data-code="${escape(s.code)}"><td>${s.rank ?? '—'}</td>
      <td><a href="#/assessment/${scope}/${encodeURIComponent(s.code)}?year=${year}">${escape(s.code)}</a></td>
      <td>${s.score ?? '无数据'}</td><td>${s.scaled ?? '无数据'}</td><td class="grade">${escape(s.grade)}</td><td>${escape(s.basis)}</td></tr>`).join('')}</tbody></table>`;
}

/** 考核: the ranking (offices and reviewers); a town or unit is sent to its own breakdown. */
export async function assessmentPage(app, me) {
  document.title = '考核 - 扶贫督查台账';
  const year = Number(hashParams().get('year')) || new Date().getFullYear();
  if (me.role === 'respondent') {
    const [kind, code] = me.scope.split(':');
    location.hash = `#/assessment/${kind === 'unit' ? 'units' : 'towns'}/${encodeURIComponent(code)}?year=${year}`;
    return;
  }
  let towns, units, published;
  try {
    [towns, units, published] = await Promise.all([
      api('GET', `/api/assessments/${year}/towns`), api('GET', `/api/assessments/${year}/units`), api('GET', `/api/assessments/${year}/published`)]);
  } catch (e) {
    app.innerHTML = refusalCard(e, `${year} 年考核`);
    return;
  }
  app.innerHTML = `
    <section class="card" id="assessment">
      <h1>${year} 年考核</h1>
      <form id="year-form" class="inline"><label for="as-year">年度</label><input id="as-year" name="year" inputmode="numeric" value="${year}">
        <button type="submit">查看</button></form>
      <p>细则：${escape(towns.rulebook)}${towns.rulebookVersion ? `（第 ${towns.rulebookVersion} 版）` : '（默认）'}。${escape(towns.note)}</p>
      <p><a href="/api/assessments/${year}/export.xlsx" download>导出 Excel（排名及明细）</a></p>
    </section>
    <section class="card"><h2>镇（街）排名</h2>${rankingTable('towns', year, towns)}</section>
    <section class="card"><h2>单位排名</h2>${rankingTable('units', year, units)}${units.note && units.note !== towns.note ? `<p>${escape(units.note)}</p>` : ''}</section>
    <section class="card" id="published">
      <h2>已发布</h2>
      ${published.length === 0 ? '<p>尚未发布。</p>' : `<ul>${published.map((p) => `<li>第 ${p.revision} 版：${escape(p.publishedOn)} 由 ${escape(p.publishedBy)} 发布
        ${p.reason ? `（${escape(p.reason)}）` : ''}，${p.changes.length} 处变化</li>`).join('')}</ul>`}
      ${me.role === 'poverty-office' ? `
        <form id="publish" novalidate>
          <label for="publish-reason">更正理由（再次发布时填写）</label><input id="publish-reason" name="reason">
          <p class="error" data-for="reason"></p>
          <p class="error" data-for="form" role="alert"></p>
          <button class="primary" type="submit">发布 ${year} 年考核结果</button>
        </form>` : ''}
    </section>`;
  app.querySelector('#year-form').addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/assessment?year=${encodeURIComponent(event.target.year.value)}`;
  });
  const form = app.querySelector('#publish');
  if (form) form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api('POST', `/api/assessments/${year}/publish`, { reason: form.reason.value || null, expectedRevision: published.length });
      await assessmentPage(app, me);
    } catch (e) {
      showErrors(form, e);
    }
  });
}

/** One score's breakdown: each line with its points and links to the case (case pages) and events it rests on. */
export async function breakdownPage(app, me, scope, code) {
  document.title = '考核明细 - 扶贫督查台账';
  const year = Number(hashParams().get('year')) || new Date().getFullYear();
  let b;
  try {
    b = await api('GET', `/api/assessments/${year}/${scope}/${encodeURIComponent(code)}`);
  } catch (e) {
    app.innerHTML = refusalCard(e, `${SCOPE_NOUN[scope]} ${code} 的考核明细`);
    return;
  }
  const card = b.card;
  app.innerHTML = `
    <section class="card" id="breakdown">
      <h1>${SCOPE_NOUN[scope]} ${escape(code)} ${year} 年考核明细</h1>
      <p>得分 <b>${card.score}</b>，等次 <b class="grade">${escape(card.grade)}</b>，名次 ${b.rank ?? '无（无数据不排名）'}；加分 ${card.bonus}。
        ${readsAll(me.role) ? `<a href="#/assessment?year=${year}">回到排名</a>` : ''}</p>
      <table><thead><tr><th>分组</th><th>权重</th><th>扣分</th><th>得分</th></tr></thead>
        <tbody>${card.groups.map((g) => `<tr><td>${escape(g.name)}</td><td>${g.weight}</td><td>${g.deducted}</td><td>${escape(g.shown)}</td></tr>`).join('')}</tbody></table>
    </section>
    <section class="card">
      <h2>逐项</h2>
      <table id="lines"><thead><tr><th>分组</th><th>分值</th><th>说明</th><th>依据</th></tr></thead>
      <tbody>${card.lines.map((l) => {
        const found = CASE_IN_TEXT.exec(l.description);
        const text = found ? l.description.replace(found[0], '').trim() : l.description;
        return `<tr><td>${escape(l.group)}</td><td>${l.points}</td><td>${escape(text)}</td>
          <td>${found ? `<a class="case-link" href="#/cases/${found[1]}">案件</a>　` : ''}${l.eventIds.length ? `事件 ${l.eventIds.map((id) => `<code title="${escape(id)}">${escape(id.slice(0, 8))}</code>`).join(' ')}` : ''}</td></tr>`;
      }).join('')}</tbody></table>
    </section>`;
}
