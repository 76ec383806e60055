// 案件: one case's timeline (who, when, what changed; an amendment as old → new), the case as of a moment
// (the API's asOf), its evidence, each event's inclusion proof and the 案卷 download; and the case search.
// The API decides who may read the case and trims it; this module lays it out.
import { api } from '/api.js';
import { escape, showErrors, clearErrors } from '/forms.js';
import { hashParams, refusalCard, AREA_LABELS, SEVERITY_LABELS, ROLE_NAMES, readsAll, chinaTime } from '/pages/common.js';

/** The Chinese names of the event fields a timeline shows; the grouping keys every case event carries are left out. */
const FIELD_LABELS = {
  description: '内容', severity: '严重程度', area: '督查内容', method: '督查方式', reason: '理由', action: '整改要求',
  deadline: '期限', notifiedOn: '通报日期', responsibleTown: '责任镇（街）', responsibleUnit: '责任单位', responsiblePerson: '整改责任人',
  responsiblePost: '职务', measures: '整改措施', respondedBy: '反馈人', respondedOn: '反馈日期', onBehalf: '代为反馈',
  acceptedOn: '验收日期', acceptedBy: '验收人', note: '备注', late: '逾期', recordedBy: '记录人', observedOn: '发现日期',
  fund: '资金', project: '项目', allocated: '下达（元）', arrived: '到位（元）', spent: '支出（元）', irregularities: '问题',
  idleMonths: '闲置月数', overspendReason: '超支原因', withdrawnOn: '撤回日期', amendedOn: '更正日期', returnedOn: '退回日期',
  requestedDeadline: '申请期限', newDeadline: '新期限', granted: '同意', decidedOn: '决定日期', acknowledgedOn: '签收日期',
  findings: '回头看情况', problemBack: '问题反弹', summary: '摘要', recipient: '移交对象', outcome: '处置结果',
  checkedOn: '检查日期', reviewedOn: '复核日期', verdict: '结论', notes: '说明', issuingOffice: '发文单位',
};
const HIDDEN = new Set(['caseId', 'inspectionId', 'year', 'townCode', 'unitCode', 'villageCode', 'evidence', 'addedEvidence',
  'issuedBy', 'onBehalfOf', 'sourceTipId', 'decisionId']);
/** What an amendment may change, by what the case was recorded as. */
const AMENDABLE = ['description', 'severity', 'area', 'method', 'allocated', 'arrived', 'spent', 'irregularities', 'idleMonths', 'overspendReason'];

function shown(key, value) {
  if (value === null || value === undefined) return '';
  if (key === 'severity') return SEVERITY_LABELS[value] || value;
  if (key === 'area') return AREA_LABELS[value] || value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function evidenceList(items) {
  if (!items || items.length === 0) return '';
  return `<ul class="evidence">${items.map((e) => {
    const title = escape(e.title || e.name || '证据');
    if (!e.sha256) return `<li>${title}（${escape(e.kindLabel || e.kind || '')}）</li>`;
    const href = `/api/evidence/${encodeURIComponent(e.sha256)}`;
    const thumb = (e.mediaType || '').startsWith('image/') ? `<img class="thumb" src="${href}" alt="${title}" loading="lazy">` : '';
    return `<li><a href="${href}" target="_blank" rel="noopener">${thumb}${title}</a></li>`;
  }).join('')}</ul>`;
}

/**
 * The timeline's rows: each event's fields, and for an amendment each changed field as old → new, the old value
 * taken from the events before it (the recorded finding and earlier amendments), as the case view folds them.
 */
function timelineRows(id, history, canProve) {
  const state = {};
  return history.map((line) => {
    const data = line.data || {};
    const amended = /amended$/i.test(line.type);
    let what;
    if (amended) {
      const changes = AMENDABLE.filter((k) => data[k] !== null && data[k] !== undefined).map((k) =>
        `<li class="diff" data-field="${k}">${escape(FIELD_LABELS[k] || k)}：<del>${escape(shown(k, state[k]))}</del> → <ins>${escape(shown(k, data[k]))}</ins></li>`);
      what = `<ul class="fields">${changes.join('')}<li>${FIELD_LABELS.reason}：${escape(data.reason)}</li></ul>`;
    } else {
      what = `<ul class="fields">${Object.entries(data).filter(([k, v]) => !HIDDEN.has(k) && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => `<li>${escape(FIELD_LABELS[k] || k)}：${escape(shown(k, v))}</li>`).join('')}</ul>`;
    }
    for (const k of AMENDABLE) if (data[k] !== null && data[k] !== undefined) state[k] = data[k];
    const who = [line.user, ROLE_NAMES[line.role] || line.role].filter(Boolean).join('，');
    return `<li class="event" data-sequence="${line.sequence}" data-type="${escape(line.type)}">
      <h3>${escape(line.label)}</h3>
      <p class="meta"><time datetime="${escape(line.timestamp)}">${escape(chinaTime(line.timestamp))}</time>　${escape(who || '系统')}　第 ${line.sequence} 号事件</p>
      ${what}
      ${evidenceList(data.evidence || data.addedEvidence)}
      <p class="actions"><a class="as-of-link" href="#/cases/${id}?asOf=${encodeURIComponent(line.timestamp)}">查看此事件时的案件</a>
      ${canProve ? `<button type="button" class="prove" data-sequence="${line.sequence}">包含证明</button>` : ''}</p>
      <div class="proof" aria-live="polite"></div>
    </li>`;
  }).join('');
}

/** The value a datetime-local input shows for an API timestamp, in the browser's time zone, to the second. */
function localInput(timestamp) {
  const d = new Date(timestamp);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** 案件: the case now, or as it stood at the hash's asOf. */
export async function casePage(app, me, id) {
  document.title = '案件 - 扶贫督查台账';
  const asOf = hashParams().get('asOf');
  let answer;
  try {
    answer = await api('GET', `/api/cases/${encodeURIComponent(id)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`);
  } catch (e) {
    app.innerHTML = refusalCard(e, asOf ? '这一时刻的该案件（当时可能尚不存在）' : '该案件') + asOfForm(id, asOf);
    wireAsOf(app, id);
    return;
  }
  const c = answer.case, r = c.rectification;
  const where = [c.townCode && `镇（街）${c.townCode}`, c.unitCode && `单位 ${c.unitCode}`, c.villageCode && `村 ${c.villageCode}`].filter(Boolean).join('　');
  app.innerHTML = `
    <section class="card" id="case">
      <h1>案件：${escape(c.kindLabel)}</h1>
      ${asOf ? `<p class="notice" id="as-of-notice">显示的是截至 ${escape(chinaTime(asOf))} 的案件。<a href="#/cases/${id}">回到现在</a></p>` : ''}
      <p id="case-description">${escape(c.description)}</p>
      <p>${escape(c.areaLabel)}　${escape(c.severityLabel || '')}　状态：<b id="case-status">${escape(c.statusLabel)}</b>　${escape(where)}</p>
      <p>记录：${escape(c.recordedBy)}，${escape(c.recordedOn)}${c.amendments ? `　更正 ${c.amendments} 次` : ''}${c.withdrawalReason ? `　撤回理由：${escape(c.withdrawalReason)}` : ''}</p>
      ${r ? `<p id="case-rectification">整改：${escape(r.action)}　期限 ${escape(r.deadline)}　进度：<b class="stage">${escape(r.stageLabel)}</b></p>` : '<p id="case-rectification">尚无整改要求。</p>'}
      <p><a href="/api/cases/${id}/bundle" download>下载案卷（zip，含包含证明与签名树头）</a></p>
    </section>
    ${asOfForm(id, asOf)}
    <section class="card">
      <h2>证据</h2>
      ${evidenceList(c.evidence) || '<p>无。</p>'}
    </section>
    <section class="card">
      <h2>时间线</h2>
      <ol class="timeline" id="timeline">${timelineRows(id, answer.history, readsAll(me.role))}</ol>
    </section>`;
  wireAsOf(app, id);
  for (const button of app.querySelectorAll('button.prove')) {
    button.addEventListener('click', async () => {
      const slot = button.closest('.event').querySelector('.proof');
      try {
        const digest = await api('GET', '/api/ledger/digest');
        const proof = await api('GET', `/api/ledger/proof/${button.dataset.sequence}?digest=${encodeURIComponent(digest.value)}`);
        slot.innerHTML = `<p class="notice">包含证明：第 ${proof.leafIndex + 1} 片叶子，共 ${proof.treeSize} 片；Merkle 根 <code>${escape(proof.merkleRoot)}</code>；
          叶哈希 <code>${escape(proof.leafHash)}</code>；审计路径 ${proof.auditPath.length} 个哈希。可用 <code>ledger audit</code> 离线核对。</p>`;
      } catch (e) {
        slot.innerHTML = `<p class="error">${escape(e.message)}</p>`;
      }
    });
  }
}

function asOfForm(id, asOf) {
  return `<form class="card" id="as-of-form" novalidate>
      <h2>历史视图</h2>
      <label for="as-of">查看截至此时的案件</label>
      <input id="as-of" name="asOf" type="datetime-local" step="1" value="${asOf ? localInput(asOf) : ''}">
      <p class="error" data-for="asOf"></p>
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">查看</button> <a href="#/cases/${id}">现在</a>
    </form>`;
}

function wireAsOf(app, id) {
  const form = app.querySelector('#as-of-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(form);
    if (!form.asOf.value) { form.querySelector('.error[data-for="asOf"]').textContent = '请选择日期和时间'; return; }
    location.hash = `#/cases/${id}?asOf=${encodeURIComponent(new Date(form.asOf.value).toISOString())}`;
  });
}

/** 案件查询: the cases the caller may see, by town, area, status and year (the API's filters; it has no text search). */
export async function caseSearchPage(app) {
  document.title = '案件查询 - 扶贫督查台账';
  const q = hashParams();
  app.innerHTML = `
    <form class="card" id="case-search" novalidate>
      <h1>案件查询</h1>
      <label for="q-town">镇（街）代码</label><input id="q-town" name="town" value="${escape(q.get('town') || '')}">
      <p class="error" data-for="town"></p>
      <label for="q-area">督查内容</label>
      <select id="q-area" name="area"><option value="">全部</option>
        ${Object.values(AREA_LABELS).map((label, i) => `<option value="${i + 1}" ${q.get('area') === String(i + 1) ? 'selected' : ''}>${i + 1}. ${label}</option>`).join('')}
      </select>
      <p class="error" data-for="area"></p>
      <label for="q-status">状态</label>
      <select id="q-status" name="status"><option value="">全部</option>
        ${[['open', '有效'], ['withdrawn', '已撤回'], ['overdue', '整改逾期（红）'], ['due-soon', '整改临期（黄）'], ['on-track', '整改正常（绿）'],
          ['awaiting-verification', '待核实'], ['closed', '已销号']].map(([v, l]) => `<option value="${v}" ${q.get('status') === v ? 'selected' : ''}>${l}</option>`).join('')}
      </select>
      <p class="error" data-for="status"></p>
      <label for="q-year">年度</label><input id="q-year" name="year" inputmode="numeric" value="${escape(q.get('year') || '')}">
      <p class="error" data-for="year"></p>
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">查询</button>
    </form>
    <section class="card"><h2>结果</h2><div id="case-results"></div></section>`;
  const form = app.querySelector('#case-search');
  let latest = 0;   // a slower earlier answer must not overwrite a later one
  const run = async () => {
    const mine = ++latest;
    clearErrors(form);
    const query = new URLSearchParams();
    for (const name of ['town', 'area', 'status', 'year']) if (form[name].value.trim()) query.set(name, form[name].value.trim());
    query.set('pageSize', '50');
    try {
      const page = await api('GET', `/api/cases?${query}`);
      if (mine !== latest) return;
      app.querySelector('#case-results').innerHTML = `<p>共 ${page.total} 件${page.total > page.items.length ? `，显示前 ${page.items.length} 件` : ''}。</p>
        <table><thead><tr><th>发现日期</th><th>镇（街）/单位</th><th>督查内容</th><th>程度</th><th>内容</th><th>状态</th><th>整改</th></tr></thead>
        <tbody>${page.items.map((c) => `<tr><td>${escape(c.recordedOn)}</td><td>${escape(c.townCode || c.unitCode || '')}</td><td>${escape(c.areaLabel)}</td>
          <td>${escape(c.severityLabel || '')}</td><td><a href="#/cases/${c.id}">${escape(c.description)}</a></td><td>${escape(c.statusLabel)}</td>
          <td>${escape(c.rectificationLabel || '')}</td></tr>`).join('')}</tbody></table>`;
    } catch (e) {
      if (mine === latest) showErrors(form, e);
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); run(); });
  await run();
}
