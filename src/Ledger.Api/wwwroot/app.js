// The pages: sign-in, the workbench per role, and the administrator's accounts page. Every figure comes from the
// same JSON API as programs use; the API trims what a role may see, the pages only lay it out.
import { api, ApiError } from '/api.js';
import { showErrors, clearErrors, escape } from '/forms.js';
import { casePage, caseSearchPage } from '/pages/cases.js';
import { accountabilityPage, villagePage } from '/pages/towns.js';
import { assessmentPage, breakdownPage } from '/pages/assessment.js';
import { auditPage } from '/pages/audit.js';
import { boards } from '/pages/boards.js';
import { hashPath } from '/pages/common.js';
import { inspectionsRoute, inspectorDesk } from '/pages/inspections.js';

const app = document.getElementById('app');
let me = null;

const ROLE_LABELS = {
  'inspection-office': '县委督查室', 'poverty-office': '县扶贫办', inspector: '督查组成员',
  respondent: '被督查单位', reviewer: '纪检监察', admin: '账户管理员',
};

async function whoAmI() {
  return await api('GET', '/api/session');   // nothing (204) when nobody is signed in
}

function showNav() {
  const nav = document.getElementById('nav');
  nav.hidden = !me;
  if (!me) return;
  document.getElementById('who').textContent = `${me.displayName}（${me.roleLabel}）`;
  for (const link of nav.querySelectorAll('[data-roles]')) link.hidden = !link.dataset.roles.split(' ').includes(me.role);
}

function signInPage() {
  document.title = '登录 - 扶贫督查台账';
  app.innerHTML = `
    <form class="card" id="sign-in" novalidate>
      <h1>登录</h1>
      <label for="user">用户名</label>
      <input id="user" name="user" autocomplete="username" required>
      <p class="error" data-for="user"></p>
      <label for="password">密码</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required>
      <p class="error" data-for="password"></p>
      <div id="new-password-block" hidden>
        <p class="notice">这是一次性密码：请设置新密码（至少 10 个字符）。</p>
        <label for="newPassword">新密码</label>
        <input id="newPassword" name="newPassword" type="password" autocomplete="new-password">
        <p class="error" data-for="newPassword"></p>
      </div>
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">登录</button>
    </form>
    <p><a href="/tip.html">群众举报（无需登录）</a></p>`;
  const form = document.getElementById('sign-in');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const newBlock = document.getElementById('new-password-block');
    const body = { user: form.user.value, password: form.password.value };
    if (!newBlock.hidden) body.newPassword = form.newPassword.value;
    try {
      me = await api('POST', '/api/session', body);
      showNav();
      await go(me.role === 'admin' ? '#/accounts' : '#/');
    } catch (e) {
      if (e instanceof ApiError && e.problem.mustChangePassword) {
        newBlock.hidden = false;
        form.newPassword.focus();
        form.querySelector('.error[data-for="newPassword"]').textContent = '首次登录须设置新密码';
        return;
      }
      showErrors(form, e);
    }
  });
  form.user.focus();
}

async function workbench() {
  document.title = '工作台 - 扶贫督查台账';
  if (me.role === 'admin') {
    app.innerHTML = `<section class="card"><h1>工作台</h1><p>账户管理员只管理账户：<a href="#/accounts">账户</a>。</p></section>`;
    return;
  }
  const year = new Date().getFullYear();
  if (me.role === 'respondent') {
    app.innerHTML = `<section class="card"><h1>工作台</h1>
      <p>${escape(me.displayName)}，您好。身份：${escape(me.roleLabel)}（${escape(me.scope)}）</p>
      <p><a href="#/rectifications">我的整改要求（按期限）：签收、答复</a></p>
      <p><a href="#/${me.scope.startsWith('unit:') ? 'units' : 'towns'}/${encodeURIComponent(me.scope.slice(me.scope.indexOf(':') + 1))}?year=${year}">本${me.scope.startsWith('unit:') ? '单位' : '镇（街）'}履责情况</a>　<a href="#/assessment">考核明细</a></p></section>`;
    return;
  }
  // The API gives each role only the inspections it may see.
  const items = await api('GET', `/api/inspections?year=${year}`);
  app.innerHTML = `
    <section class="card">
      <h1>工作台</h1>
      <p>${escape(me.displayName)}，您好。身份：${escape(me.roleLabel)}${me.scope ? `（${escape(me.scope)}）` : ''}</p>
    </section>
    <section class="card">
      <h2>${year} 年督查</h2>
      ${items.length === 0 ? '<p>暂无。</p>' : `<ul id="inspections">${items.map((i) => `<li>${escape(i.topic || '督查')}（${escape(i.plannedStart)} 至 ${escape(i.plannedEnd)}）</li>`).join('')}</ul>`}
    </section>
    ${await boards(me)}`;
  if (me.role === 'inspector') await inspectorDesk(app, me);
}

async function accountsPage() {
  document.title = '账户 - 扶贫督查台账';
  if (me.role !== 'admin') { app.innerHTML = '<section class="card"><p>只有账户管理员可以管理账户。</p></section>'; return; }
  const accounts = await api('GET', '/api/accounts');
  app.innerHTML = `
    <form class="card" id="create-account" novalidate>
      <h1>账户</h1>
      <h2>开设账户</h2>
      <label for="new-user">用户名</label>
      <input id="new-user" name="user" required>
      <p class="error" data-for="user"></p>
      <label for="new-display">姓名</label>
      <input id="new-display" name="displayName">
      <p class="error" data-for="displayName"></p>
      <label for="new-role">角色</label>
      <select id="new-role" name="role">
        ${Object.entries(ROLE_LABELS).map(([code, label]) => `<option value="${code}">${label}</option>`).join('')}
      </select>
      <p class="error" data-for="role"></p>
      <label for="new-scope">范围（被督查单位填写：town:镇代码 或 unit:单位代码）</label>
      <input id="new-scope" name="scope" placeholder="town:440233100">
      <p class="error" data-for="scope"></p>
      <p class="error" data-for="form" role="alert"></p>
      <button class="primary" type="submit">开设</button>
      <div id="issued" aria-live="polite"></div>
    </form>
    <section class="card">
      <h2>全部账户</h2>
      <table id="accounts">
        <thead><tr><th>用户名</th><th>姓名</th><th>角色</th><th>范围</th><th>状态</th><th></th></tr></thead>
        <tbody>${accounts.map((a) => `
          <tr data-user="${escape(a.user)}">
            <td>${escape(a.user)}</td><td>${escape(a.displayName)}</td><td>${escape(a.roleLabel)}</td><td>${escape(a.scope || '')}</td>
            <td>${a.disabled ? '已停用' : '在用'}</td>
            <td>${a.disabled || a.user === me.user ? '' : `<button type="button" data-disable="${escape(a.user)}" data-version="${a.version}">停用</button>`}</td>
          </tr>`).join('')}
        </tbody>
      </table>
    </section>`;
  const form = document.getElementById('create-account');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const body = { user: form.user.value, displayName: form.displayName.value || null, role: form.role.value, scope: form.scope.value || null };
    try {
      const issued = await api('POST', '/api/accounts', body);
      await accountsPage();
      document.getElementById('issued').innerHTML =
        `<p class="notice">已开设账户 <b>${escape(issued.user)}</b>。一次性密码（只显示这一次，请交给本人，首次登录须修改）：
         <span class="secret" id="one-time-password">${escape(issued.oneTimePassword)}</span></p>`;
    } catch (e) {
      showErrors(form, e);
    }
  });
  for (const button of app.querySelectorAll('[data-disable]')) {
    button.addEventListener('click', async () => {
      const reason = prompt(`停用账户 ${button.dataset.disable} 的原因：`);
      if (!reason) return;
      await api('POST', `/api/accounts/${encodeURIComponent(button.dataset.disable)}/disable`, { reason, expectedVersion: Number(button.dataset.version) });
      await accountsPage();
    });
  }
}

const STATUS_CLASS = { overdue: 'red', 'due-soon': 'yellow', 'on-track': 'green', closed: 'grey', 'awaiting-verification': 'blue' };

/** 整改台账: the board the API gives the caller (a respondent: its own requirements), by deadline, with what the role may do. */
async function rectificationsPage() {
  document.title = '整改台账 - 扶贫督查台账';
  const board = (await api('GET', '/api/rectifications')).slice().sort((a, b) => a.deadline.localeCompare(b.deadline));
  const respondent = me.role === 'respondent', office = me.role === 'poverty-office';
  app.innerHTML = `
    <section class="card">
      <h1>整改台账</h1>
      <p><a href="/api/rectifications/export.xlsx" download>导出 Excel</a></p>
      ${board.length === 0 ? '<p>暂无整改要求。</p>' : ''}
    </section>
    ${board.map((r) => `
      <section class="card requirement" data-case="${r.caseId}">
        <h2><span class="status ${STATUS_CLASS[r.status] || ''}">${escape(r.statusLabel)}</span> ${escape(r.description)}</h2>
        <p>整改要求：${escape(r.action)}</p>
        <p>责任单位：${escape(r.responsible)}　期限：<b>${escape(r.deadline)}</b>　进度：<span class="stage">${escape(r.stageLabel)}</span>　${escape(r.acknowledgementLabel)}</p>
        ${respondent && r.awaitingAcknowledgement ? `
          <form class="acknowledge" novalidate>
            <h3>签收</h3>
            <label for="person-${r.caseId}">整改责任人</label><input id="person-${r.caseId}" name="responsiblePerson">
            <p class="error" data-for="responsiblePerson"></p>
            <label for="post-${r.caseId}">职务</label><input id="post-${r.caseId}" name="responsiblePost">
            <p class="error" data-for="responsiblePost"></p>
            <label for="measures-${r.caseId}">整改措施</label><textarea id="measures-${r.caseId}" name="measures" rows="3"></textarea>
            <p class="error" data-for="measures"></p>
            <p class="error" data-for="form" role="alert"></p>
            <button class="primary" type="submit">签收</button>
          </form>` : ''}
        ${respondent && !r.awaitingAcknowledgement && (r.stage === 'awaiting-response' || r.stage === 'returned') ? `
          <form class="respond" novalidate>
            <h3>答复</h3>
            <label for="done-${r.caseId}">整改情况</label><textarea id="done-${r.caseId}" name="description" rows="3"></textarea>
            <p class="error" data-for="description"></p>
            <p class="error" data-for="form" role="alert"></p>
            <button class="primary" type="submit">提交答复</button>
          </form>` : ''}
        ${office && r.stage === 'responded' ? `
          <form class="verify" novalidate>
            <h3>验收</h3>
            <label for="reason-${r.caseId}">退回理由（退回时填写）</label><textarea id="reason-${r.caseId}" name="reason" rows="2"></textarea>
            <p class="error" data-for="reason"></p>
            <p class="error" data-for="form" role="alert"></p>
            <button class="primary" type="submit" name="accept">验收销号</button>
            <button type="submit" name="return">退回</button>
          </form>` : ''}
      </section>`).join('')}`;
  for (const section of app.querySelectorAll('.requirement')) {
    const entry = board.find((r) => r.caseId === section.dataset.case);
    const post = (form, action, body) => form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const which = event.submitter?.name;
      try {
        const [path, payload] = typeof body === 'function' ? body(which) : [action, body];
        await api('POST', `/api/rectifications/${entry.caseId}/${path}`, { expectedVersion: entry.version, ...payload });
        await rectificationsPage();
      } catch (e) {
        showErrors(form, e);
      }
    });
    const acknowledge = section.querySelector('form.acknowledge');
    if (acknowledge) post(acknowledge, 'acknowledgement', () => ['acknowledgement', {
      responsiblePerson: acknowledge.responsiblePerson.value, responsiblePost: acknowledge.responsiblePost.value, measures: acknowledge.measures.value }]);
    const respond = section.querySelector('form.respond');
    if (respond) post(respond, 'responses', () => ['responses', { description: respond.description.value }]);
    const verify = section.querySelector('form.verify');
    if (verify) post(verify, '', (which) => which === 'return' ? ['return', { reason: verify.reason.value }] : ['acceptance', {}]);
  }
}

/** To a page: by the hash when it changes (the hashchange handler draws it, once), else drawn here. */
async function go(hash) {
  if (location.hash !== hash) location.hash = hash;
  else await route();
}

async function route() {
  if (!me) { showNav(); signInPage(); return; }
  showNav();
  const path = hashPath(), part = path.split('/').map(decodeURIComponent);   // "#/towns/440233100" → ['#', 'towns', '440233100']
  if (path === '#/cases') await caseSearchPage(app);
  else if (part[1] === 'cases' && part[2]) await casePage(app, me, part[2]);
  else if ((part[1] === 'towns' || part[1] === 'units') && part[2]) await accountabilityPage(app, me, part[1] === 'towns' ? 'town' : 'unit', part[2]);
  else if (part[1] === 'villages' && part[2]) await villagePage(app, me, part[2]);
  else if (path === '#/assessment') await assessmentPage(app, me);
  else if (part[1] === 'assessment' && part[3]) await breakdownPage(app, me, part[2], part[3]);
  else if (path === '#/audit') await auditPage(app);
  else if (location.hash === '#/accounts') await accountsPage();
  else if (location.hash === '#/rectifications') await rectificationsPage();
  else if (location.hash.startsWith('#/inspections')) await inspectionsRoute(app, me, location.hash);
  else await workbench();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await api('DELETE', '/api/session'); } finally { me = null; await go('#/'); }
});
window.addEventListener('hashchange', () => { route(); });

me = await whoAmI();
await route();
