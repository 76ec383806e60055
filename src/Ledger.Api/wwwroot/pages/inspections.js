// 督查: the list, planning, the team, field work, findings with photos, the report and the notification — and the
// inspector's desk on the 工作台. Every rule stays in the API: these pages send what is typed and show the answers.
import { api, ApiError, CSRF_HEADER } from '/api.js';
import { showErrors, clearErrors, chinese, escape } from '/forms.js';

const AREAS = [[1, '责任落实'], [2, '专项规划和重大政策措施'], [3, '减贫任务'], [4, '精准识别、精准退出'], [5, '对口帮扶、定点扶贫'],
  [6, '行业扶贫、专项扶贫、重点项目、涉农资金整合'], [7, '财政扶贫资金'], [8, '队伍建设']];
const METHODS = [['field-investigation', '实地调查'], ['document-review', '查阅资料'], ['symposium', '座谈会'], ['phone-inquiry', '电话询问'],
  ['questionnaire', '问卷调查'], ['individual-interview', '个别访谈'], ['hearing-report', '听取汇报'], ['public-report', '群众举报'],
  ['unannounced-visit', '随机访/暗访'], ['third-party-evaluation', '第三方评估']];
const SEVERITIES = [['minor', '一般'], ['serious', '较重'], ['grave', '严重']];
const OFFICES = ['inspection-office', 'poverty-office'];

const options = (pairs) => pairs.map(([value, label]) => `<option value="${value}">${escape(label)}</option>`).join('');
const onTeam = (i, user) => i.leader?.user === user || (i.members || []).some((m) => m.user === user);
const orNull = (value) => (value && value.trim() ? value.trim() : null);
const field = (id, label, input, name = id) => `<label for="${id}">${label}</label>${input}<p class="error" data-for="${name}"></p>`;

/** Sends a form's body; on success draws the page again, on a refusal shows the errors and keeps what was typed. */
function submitting(form, send, then) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await send();
      await then();
    } catch (e) {
      showErrors(form, e);
    }
  });
}

/** POST /api/evidence (multipart): the stored file's sha256, size and sniffed type. */
async function upload(file) {
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await fetch('/api/evidence', { method: 'POST', body, credentials: 'same-origin', headers: { [CSRF_HEADER]: '1', Accept: 'application/json' } });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** The 督查 routes this module draws: #/inspections and #/inspections/{id}. */
export async function inspectionsRoute(app, me, hash) {
  const id = /^#\/inspections\/([0-9a-f-]{36})/.exec(hash)?.[1];
  if (id) await inspectionPage(app, me, id);
  else await inspectionList(app, me);
}

async function inspectionList(app, me) {
  document.title = '督查 - 扶贫督查台账';
  const items = await api('GET', '/api/inspections');
  const office = OFFICES.includes(me.role);
  const [towns, units] = office ? await Promise.all([api('GET', '/api/towns'), api('GET', '/api/units')]) : [[], []];
  app.innerHTML = `
    <section class="card">
      <h1>督查</h1>
      ${items.length === 0 ? '<p>暂无督查。</p>' : `<table id="inspection-list"><thead><tr><th>督查</th><th>年度</th><th>计划时间</th><th>进度</th></tr></thead><tbody>
        ${items.map((i) => `<tr><td><a href="#/inspections/${i.id}">${escape(i.kindLabel)}${i.topic ? `：${escape(i.topic)}` : ''}</a></td>
          <td>${i.year}</td><td>${escape(i.plannedStart)} 至 ${escape(i.plannedEnd)}</td><td class="status-label">${escape(i.statusLabel)}</td></tr>`).join('')}
      </tbody></table>`}
    </section>
    ${office ? `
    <form class="card" id="plan" novalidate>
      <h2>制定督查方案</h2>
      ${field('plan-kind', '督查类型', `<select id="plan-kind" name="kind">${options([['comprehensive', '综合督查'], ['special', '专项督查']])}</select>`, 'kind')}
      ${field('plan-topic', '督查主题（专项督查必填）', '<input id="plan-topic" name="topic">', 'topic')}
      ${field('plan-year', '年度', '<input id="plan-year" name="year" inputmode="numeric">', 'year')}
      <fieldset><legend>被督查镇（街）</legend>${towns.map((t) => `<label class="check"><input type="checkbox" name="towns" value="${escape(t.code)}"> ${escape(t.name)}</label>`).join('')}</fieldset>
      <fieldset><legend>被督查单位</legend>${units.map((u) => `<label class="check"><input type="checkbox" name="units" value="${escape(u.code)}"> ${escape(u.name)}</label>`).join('')}</fieldset>
      <fieldset><legend>督查内容（综合督查不选即全部八项）</legend>${AREAS.map(([n, label]) => `<label class="check"><input type="checkbox" name="contentAreas" value="${n}"> ${n}. ${escape(label)}</label>`).join('')}</fieldset>
      <p class="error" data-for="content"></p>
      <fieldset><legend>督查责任清单</legend>
        ${field('plan-item', '责任事项', '<input id="plan-item" name="item">', 'responsibilities')}
        ${field('plan-owner', '责任人', '<input id="plan-owner" name="owner">', 'owner')}
      </fieldset>
      ${field('plan-tasks', '任务要求（每行一条）', '<textarea id="plan-tasks" name="tasks" rows="2"></textarea>', 'taskRequirements')}
      ${field('plan-start', '计划开始', '<input id="plan-start" name="plannedStart" type="date">', 'plannedStart')}
      ${field('plan-end', '计划结束', '<input id="plan-end" name="plannedEnd" type="date">', 'plannedEnd')}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">制定方案</button>
    </form>` : ''}`;
  const form = document.getElementById('plan');
  if (!form) return;
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
  let planned = null;
  submitting(form, async () => {
    planned = await api('POST', '/api/inspections', {
      kind: form.kind.value, topic: orNull(form.topic.value), year: Number(form.year.value) || null,
      towns: checked('towns'), units: checked('units'), contentAreas: checked('contentAreas').map(Number),
      responsibilities: orNull(form.item.value) || orNull(form.owner.value) ? [{ item: form.item.value, owner: form.owner.value }] : [],
      taskRequirements: form.tasks.value.split('\n').map((t) => t.trim()).filter(Boolean), plannedStart: form.plannedStart.value || null, plannedEnd: form.plannedEnd.value || null,
      crossInspection: false, inspectingTown: null,
    });
  }, async () => { location.hash = `#/inspections/${planned.id}`; });
}

/** One person's row of the team form: user, name, and the unit or town they come from. */
function personRow(prefix, legend, person) {
  return `<fieldset class="person" data-person="${prefix}"><legend>${legend}</legend>
    ${field(`${prefix}-user`, '登录用户名', `<input id="${prefix}-user" name="${prefix}-user" value="${escape(person?.user)}">`)}
    ${field(`${prefix}-name`, '姓名', `<input id="${prefix}-name" name="${prefix}-name" value="${escape(person?.name)}">`)}
    ${field(`${prefix}-unit`, '所在单位代码', `<input id="${prefix}-unit" name="${prefix}-unit" value="${escape(person?.unitCode)}">`)}
    ${field(`${prefix}-town`, '或所在镇（街）代码', `<input id="${prefix}-town" name="${prefix}-town" value="${escape(person?.townCode)}">`)}
    <p class="error conflict" data-for="${prefix}" role="alert"></p>
  </fieldset>`;
}

async function inspectionPage(app, me, id) {
  const i = await api('GET', `/api/inspections/${id}`);
  document.title = '督查 - 扶贫督查台账';
  const office = OFFICES.includes(me.role), member = me.role === 'inspector' && onTeam(i, me.user), leader = i.leader?.user === me.user;
  const areas = i.contentAreaLabels?.length ? AREAS.filter(([, label]) => i.contentAreaLabels.some((a) => a.label === label)) : AREAS;
  const redraw = () => inspectionPage(app, me, id);
  const draft = (leader && i.status === 'in-field') || (office && i.status === 'report-submitted')
    ? await api('GET', `/api/inspections/${id}/report/draft`) : null;
  const [towns, units] = await Promise.all([api('GET', '/api/towns'), api('GET', '/api/units')]);
  const nameOf = (code) => towns.find((t) => t.code === code)?.name || units.find((u) => u.code === code)?.name || code;
  const villages = member && i.status === 'in-field' && i.townCodes.length ? await api('GET', `/api/villages?town=${encodeURIComponent(i.townCodes[0])}`) : [];
  app.innerHTML = `
    <section class="card" id="inspection">
      <h1>${escape(i.kindLabel)}${i.topic ? `：${escape(i.topic)}` : ''}（${i.year}）</h1>
      <p>进度：<b class="status-label">${escape(i.statusLabel)}</b>　计划：${escape(i.plannedStart)} 至 ${escape(i.plannedEnd)}</p>
      <p>被督查：${escape([...i.townCodes, ...i.unitCodes].map(nameOf).join('、'))}　内容：${escape((i.contentAreaLabels || []).map((a) => a.label).join('、'))}</p>
      ${i.leader ? `<p id="team">督查组：组长 ${escape(i.leader.name)}${(i.members || []).map((m) => `，组员 ${escape(m.name)}`).join('')}</p>` : ''}
      ${i.report ? `<p id="report-done">报告已提交（${escape(i.report.reportedOn || '')}）</p>` : ''}
      ${(i.notifications || []).length ? `<p id="notified">已通报：${i.notifications.map((n) => escape(nameOf(n.townCode || n.unitCode))).join('、')}（以领导小组名义）</p>` : ''}
    </section>
    ${office && me.role === 'inspection-office' && (i.status === 'planned' || i.status === 'team-formed') ? `
    <form class="card" id="team-form" novalidate>
      <h2>组建督查组</h2>
      ${personRow('leader', '组长', i.leader)}
      ${personRow('member', '组员', i.members?.[0])}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">组建</button>
    </form>` : ''}
    ${(me.role === 'inspection-office' || leader) && i.status === 'team-formed' ? `
    <form class="card" id="fieldwork" novalidate>
      <h2>开始实地督查</h2>
      ${field('started-on', '开始日期（不填为今天）', '<input id="started-on" name="startedOn" type="date">', 'startedOn')}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">开始实地督查</button>
    </form>` : ''}
    ${member && i.status === 'in-field' ? `
    <form class="card" id="finding" novalidate>
      <h2>记录问题</h2>
      ${field('f-town', '镇（街）', `<select id="f-town" name="town">${options(i.townCodes.map((t) => [t, nameOf(t)]))}<option value="">（无）</option></select>`, 'town')}
      ${field('f-village', '村', `<input id="f-village" name="village" list="f-villages" inputmode="numeric"><datalist id="f-villages">${villages.map((v) => `<option value="${escape(v.code)}">${escape(v.name)}</option>`).join('')}</datalist>`, 'village')}
      ${i.unitCodes.length ? field('f-unit', '单位', `<select id="f-unit" name="unit"><option value="">（无）</option>${options(i.unitCodes.map((u) => [u, nameOf(u)]))}</select>`, 'unit') : ''}
      ${field('f-area', '督查内容', `<select id="f-area" name="area">${options(areas.map(([n, label]) => [n, `${n}. ${label}`]))}</select>`, 'area')}
      ${field('f-method', '督查方式', `<select id="f-method" name="method">${options(METHODS)}</select>`, 'method')}
      ${field('f-severity', '严重程度', `<select id="f-severity" name="severity">${options(SEVERITIES)}</select>`, 'severity')}
      ${field('f-description', '问题描述', '<textarea id="f-description" name="description" rows="4"></textarea>', 'description')}
      ${field('f-observed', '发现日期（不填为今天）', '<input id="f-observed" name="observedOn" type="date">', 'observedOn')}
      ${field('f-photo', '照片', '<input id="f-photo" name="photo" type="file" accept="image/*" capture="environment">', 'evidence')}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">保存问题</button>
      <p id="finding-saved" class="notice" aria-live="polite" hidden></p>
    </form>` : ''}
    ${draft && leader ? `
    <form class="card" id="report" novalidate>
      <h2>督查报告（由记录生成的草稿）</h2>
      ${field('r-situation', '基本情况', `<textarea id="r-situation" name="situation" rows="5">${escape(draft.situation)}</textarea>`, 'situation')}
      <fieldset><legend>发现的问题（${draft.problems.length} 个）</legend>
        ${draft.problems.map((p, n) => `<label class="check"><input type="checkbox" name="problem" value="${p.caseId}" checked data-summary="${escape(p.summary)}"> ${n + 1}. ${escape(p.summary)}</label>`).join('')}
      </fieldset>
      <p class="error" data-for="problems"></p>
      ${field('r-opinions', '意见', `<textarea id="r-opinions" name="opinions" rows="3">${escape(draft.opinions)}</textarea>`, 'opinions')}
      ${field('r-suggestions', '建议', `<textarea id="r-suggestions" name="suggestions" rows="3">${escape(draft.suggestions)}</textarea>`, 'suggestions')}
      ${field('r-date', '报告日期（组长所定，不填为今天）', '<input id="r-date" name="reportedOn" type="date">', 'reportedOn')}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">提交报告</button>
    </form>` : ''}
    ${draft && office ? notificationForm(draft, nameOf) : ''}`;

  const team = document.getElementById('team-form');
  if (team) {
    const person = (p) => ({ user: orNull(team[`${p}-user`].value), name: orNull(team[`${p}-name`].value), unitCode: orNull(team[`${p}-unit`].value), townCode: orNull(team[`${p}-town`].value) });
    team.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(team);
      const leaderIn = person('leader'), memberIn = person('member');
      try {
        await api('POST', `/api/inspections/${id}/team`, { expectedVersion: i.version, leader: leaderIn, members: memberIn.user || memberIn.name ? [memberIn] : [] });
        await redraw();
      } catch (e) {
        // A refusal naming a person ("王组长 (wang.leader) belongs to unit …") is shown in words beside that person.
        const rest = [];
        for (const message of e.problem?.errors || [e.message]) {
          const slot = [['leader', leaderIn], ['member', memberIn]].find(([, p]) => p.user && message.includes(`(${p.user})`));
          if (slot) {
            const beside = team.querySelector(`.error[data-for="${slot[0]}"]`);
            beside.textContent += (beside.textContent ? '；' : '') + chinese(message);
          }
          else rest.push(chinese(message));
        }
        team.querySelector('.error[data-for="form"]').textContent = rest.join('；');
      }
    });
  }
  const fieldwork = document.getElementById('fieldwork');
  if (fieldwork) submitting(fieldwork, () => api('POST', `/api/inspections/${id}/fieldwork`, { expectedVersion: i.version, startedOn: fieldwork.startedOn.value || null }), redraw);

  const finding = document.getElementById('finding');
  if (finding) {
    finding.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(finding);
      try {
        const evidence = [];
        const file = finding.photo.files[0];
        if (file) {
          const stored = await upload(file);
          evidence.push({ title: file.name, kind: 'photo', sha256: stored.sha256 });
        }
        const answer = await api('POST', `/api/inspections/${id}/findings`, {
          town: finding.town.value || null, village: orNull(finding.village.value), unit: finding.unit?.value || null,
          area: Number(finding.area.value), method: finding.method.value, severity: finding.severity.value,
          description: finding.description.value, evidence, observedOn: finding.observedOn.value || null,
        });
        finding.reset();
        const saved = document.getElementById('finding-saved');
        saved.hidden = false;
        saved.dataset.case = answer.id;
        saved.textContent = `已记录问题${evidence.length ? '（附照片 1 张）' : ''}，编号 ${answer.id.slice(0, 8)}`;
        finding.description.focus();
      } catch (e) {
        showErrors(finding, e);
      }
    });
  }

  const report = document.getElementById('report');
  if (report) submitting(report, () => api('POST', `/api/inspections/${id}/report`, {
    expectedVersion: i.version, situation: report.situation.value, opinions: report.opinions.value, suggestions: report.suggestions.value,
    reportedOn: report.reportedOn.value || null,
    problems: [...report.querySelectorAll('input[name="problem"]:checked')].map((c) => ({ caseId: c.value, summary: c.dataset.summary })),
  }), redraw);

  const notify = document.getElementById('notify');
  if (notify) submitting(notify, () => api('POST', `/api/inspections/${id}/notifications`, {
    expectedVersion: i.version, notifiedOn: notify.notifiedOn.value || null,
    recipients: [...notify.querySelectorAll('.recipient')].map((r) => {
      const problems = [...r.querySelectorAll('.problem')];
      const choice = (p) => p.querySelector('input[type="radio"]:checked').value;
      return {
        town: r.dataset.town || null, unit: r.dataset.unit || null, summary: r.querySelector('[name="summary"]').value, commendations: [],
        requirements: problems.filter((p) => choice(p) === 'require').map((p) => ({ case: p.dataset.case, action: p.querySelector('[name="action"]').value, deadline: p.querySelector('[name="deadline"]').value || null })),
        notRequired: problems.filter((p) => choice(p) === 'none').map((p) => ({ case: p.dataset.case, reason: p.querySelector('[name="reason"]').value })),
      };
    }),
  }), redraw);
}

/** 通报: one block per town or unit with problems; per problem a requirement (action, deadline) or 无需整改 with the reason. */
function notificationForm(draft, nameOf) {
  const byRecipient = new Map();
  for (const g of draft.groups) {
    const key = g.townCode ? `town:${g.townCode}` : `unit:${g.unitCode}`;
    if (!byRecipient.has(key)) byRecipient.set(key, { town: g.townCode, unit: g.townCode ? null : g.unitCode, problems: [] });
    byRecipient.get(key).problems.push(...g.problems);
  }
  let n = 0;
  return `
    <form class="card" id="notify" novalidate>
      <h2>通报督查结果（以扶贫开发领导小组名义）</h2>
      ${field('n-date', '通报日期（不填为今天）', '<input id="n-date" name="notifiedOn" type="date">', 'notifiedOn')}
      ${[...byRecipient.values()].map((r) => `
        <fieldset class="recipient" data-town="${escape(r.town || '')}" data-unit="${escape(r.unit || '')}">
          <legend>${escape(nameOf(r.town || r.unit))}</legend>
          ${field(`n-summary-${n}`, '督查结果概述', `<textarea id="n-summary-${n}" name="summary" rows="2"></textarea>`, 'summary')}
          ${r.problems.map((p) => { n += 1; return `
            <div class="problem" data-case="${p.caseId}">
              <p>${escape(p.summary)}</p>
              <label class="check"><input type="radio" name="choice-${n}" value="require" checked> 下达整改要求</label>
              <label class="check"><input type="radio" name="choice-${n}" value="none"> 无需整改</label>
              ${field(`n-action-${n}`, '整改要求', `<input id="n-action-${n}" name="action">`, 'action')}
              ${field(`n-deadline-${n}`, '整改期限', `<input id="n-deadline-${n}" name="deadline" type="date">`, 'deadline')}
              ${field(`n-reason-${n}`, '无需整改的理由', `<input id="n-reason-${n}" name="reason">`, 'reason')}
            </div>`; }).join('')}
        </fieldset>`).join('')}
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">发出通报</button>
    </form>`;
}

/** The inspector's 工作台: the inspections of which they are on the team and in the field, each with a quick "记录问题". */
export async function inspectorDesk(app, me) {
  const mine = (await api('GET', '/api/inspections')).filter((i) => onTeam(i, me.user));
  const inField = mine.filter((i) => i.status === 'in-field');
  app.insertAdjacentHTML('beforeend', `
    <section class="card" id="my-field-work">
      <h2>我的实地督查</h2>
      ${inField.length === 0 ? '<p>暂无实地督查中的督查。</p>' : `<ul>${inField.map((i) => `<li>${escape(i.kindLabel)}${i.topic ? `：${escape(i.topic)}` : ''}（${escape(i.plannedStart)} 至 ${escape(i.plannedEnd)}）
        <a class="button" href="#/inspections/${i.id}">记录问题</a></li>`).join('')}</ul>`}
      ${mine.length > inField.length ? `<p>其他：${mine.filter((i) => i.status !== 'in-field').map((i) => `<a href="#/inspections/${i.id}">${escape(i.kindLabel)}（${escape(i.statusLabel)}）</a>`).join('、')}</p>` : ''}
    </section>`);
}
