// The offices' and reviewers' boards under the workbench: overdue and due-soon requirements, inspections in progress,
// 未交办问题 and 待签收; a reviewer also gets the case search. Each list is the API's, for the caller's county.
import { api } from '/api.js';
import { escape } from '/forms.js';
import { isOffice } from '/pages/common.js';

const requirementRows = (items) => items.length === 0 ? '<p>无。</p>' : `<table><thead><tr><th>期限</th><th>责任单位</th><th>问题</th><th>进度</th></tr></thead>
  <tbody>${items.map((r) => `<tr><td>${escape(r.deadline)}</td><td>${escape(r.responsible)}</td><td><a href="#/cases/${r.caseId}">${escape(r.description)}</a></td>
    <td>${escape(r.stageLabel)}</td></tr>`).join('')}</tbody></table>`;

/** The boards' HTML for an office or a reviewer (empty for other roles). */
export async function boards(me) {
  if (!isOffice(me.role) && me.role !== 'reviewer') return '';
  const [overdue, dueSoon, inspections, unassigned, unacknowledged] = await Promise.all([
    api('GET', '/api/rectifications?status=overdue'), api('GET', '/api/rectifications?status=due-soon'), api('GET', '/api/inspections'),
    api('GET', '/api/problems/unassigned'), api('GET', '/api/rectifications/unacknowledged')]);
  const inProgress = inspections.filter((i) => i.status !== 'closed' && i.status !== 'report-submitted');
  const byDeadline = (list) => list.slice().sort((a, b) => a.deadline.localeCompare(b.deadline));
  return `
    ${me.role === 'reviewer' ? '<section class="card"><h2>案件查询</h2><p><a href="#/cases">按镇（街）、督查内容、状态和年度查询案件</a></p></section>' : ''}
    <section class="card" id="board-overdue"><h2><span class="status red">逾期</span> 整改逾期（${overdue.length}）</h2>${requirementRows(byDeadline(overdue))}</section>
    <section class="card" id="board-due-soon"><h2><span class="status yellow">临期</span> 即将到期（${dueSoon.length}）</h2>${requirementRows(byDeadline(dueSoon))}</section>
    <section class="card" id="board-in-progress"><h2>进行中的督查（${inProgress.length}）</h2>
      ${inProgress.length === 0 ? '<p>无。</p>' : `<ul>${inProgress.map((i) => `<li>${escape(i.topic || '督查')}（${escape(i.plannedStart)} 至 ${escape(i.plannedEnd)}）：${escape(i.statusLabel)}</li>`).join('')}</ul>`}</section>
    <section class="card" id="board-unassigned"><h2>未交办问题（${unassigned.length}）</h2>
      ${unassigned.length === 0 ? '<p>无。</p>' : `<ul>${unassigned.map((p) => `<li><a href="#/cases/${p.caseId}">${escape(p.description)}</a>　${escape(p.townCode || p.unitCode || '')}　${escape(p.areaLabel)}　${escape(p.severityLabel || '')}</li>`).join('')}</ul>`}</section>
    <section class="card" id="board-unacknowledged"><h2>待签收（${unacknowledged.length}）</h2>${requirementRows(byDeadline(unacknowledged))}</section>`;
}
