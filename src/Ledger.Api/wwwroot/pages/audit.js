// 审计: the county's log digest, a verification of the whole chain, its views and checkpoints, the newest signed tree
// head (and signing one now), and the audit bundle download. Offices and reviewers only, as the API decides.
import { api } from '/api.js';
import { escape } from '/forms.js';
import { refusalCard } from '/pages/common.js';

export async function auditPage(app) {
  document.title = '审计 - 扶贫督查台账';
  let digest;
  try {
    digest = await api('GET', '/api/ledger/digest');
  } catch (e) {
    app.innerHTML = refusalCard(e, '审计信息');
    return;
  }
  app.innerHTML = `
    <section class="card" id="digest">
      <h1>审计</h1>
      <h2>日志摘要</h2>
      <p>县：${escape(digest.county)}　事件（树大小）：<b id="tree-size">${digest.treeSize}</b>　最后序号：${digest.lastSequence}</p>
      <p>链头哈希：<code>${escape(digest.headHash)}</code></p>
      <p>Merkle 根：<code>${escape(digest.merkleRoot)}</code></p>
    </section>
    <section class="card">
      <h2>校验</h2>
      <button type="button" id="verify" class="primary">校验整条日志</button>
      <button type="button" id="verify-views">校验视图与检查点</button>
      <div id="verification" aria-live="polite"></div>
    </section>
    <section class="card">
      <h2>签名树头</h2>
      <div id="head"></div>
      <button type="button" id="sign-head">现在签一个树头</button>
      <p><a href="/api/ledger/public-key" download="ledger-public-key.pem">下载验证签名的公钥</a></p>
    </section>
    <form class="card" id="bundle-form">
      <h2>审计包</h2>
      <label for="bundle-from">起始日期（含）</label><input id="bundle-from" name="from" type="date">
      <label for="bundle-to">截止日期（含）</label><input id="bundle-to" name="to" type="date">
      <p><a id="bundle-link" href="/api/ledger/bundle" download>下载审计包（zip）</a>：事件、叶哈希、签名树头、一致性证明和公钥，可用 <code>ledger audit</code> 离线核对。</p>
    </form>`;
  const showHead = (head) => {
    app.querySelector('#head').innerHTML = head
      ? `<p id="signed-head">树大小 ${head.treeSize}，时间 ${escape(head.time)}，${head.signature ? `已签名（密钥 ${escape(head.keyId)}）` : '<b>未签名</b>（未配置签名密钥）'}</p>
         <p>Merkle 根：<code>${escape(head.merkleRoot)}</code></p>`
      : '<p id="signed-head">尚未生成树头。</p>';
  };
  const result = app.querySelector('#verification');
  app.querySelector('#verify').addEventListener('click', async () => {
    result.textContent = '正在校验…';
    try {
      const v = await api('GET', '/api/ledger/verify');
      result.innerHTML = v.intact && !v.alarm
        ? `<p class="status green" id="verify-result">完好</p><p>校验了第 ${v.from} 至 ${v.to} 号，共 ${v.checked} 个事件，未发现断链。</p>`
        : `<p class="status red" id="verify-result">发现问题</p><p>问题 ${v.problems} 处${v.firstBroken ? `；第一处：第 ${v.firstBroken.sequence} 号事件（${escape(v.firstBroken.kind)}）${escape(v.firstBroken.detail)}` : ''}${v.alarm ? `；${escape(v.alarm.detail)}` : ''}</p>`;
    } catch (e) {
      result.innerHTML = `<p class="error">${escape(e.message)}</p>`;
    }
  });
  app.querySelector('#verify-views').addEventListener('click', async () => {
    result.textContent = '正在校验…';
    try {
      const v = await api('GET', '/api/ledger/verify-views');
      result.innerHTML = v.differingCount === 0
        ? `<p class="status green" id="verify-result">视图一致</p><p>重建并比对了 ${v.checked} 个文档。</p>`
        : `<p class="status red" id="verify-result">视图不一致</p><p>${v.differingCount} 个文档与其事件不符。</p>`;
    } catch (e) {
      result.innerHTML = `<p class="error">${escape(e.message)}</p>`;
    }
  });
  app.querySelector('#sign-head').addEventListener('click', async () => {
    try { showHead(await api('POST', '/api/ledger/heads')); } catch (e) { app.querySelector('#head').innerHTML = `<p class="error">${escape(e.message)}</p>`; }
  });
  const form = app.querySelector('#bundle-form');
  form.addEventListener('input', () => {
    const q = new URLSearchParams();
    if (form.from.value) q.set('from', form.from.value);
    if (form.to.value) q.set('to', form.to.value);
    app.querySelector('#bundle-link').href = `/api/ledger/bundle${q.size ? `?${q}` : ''}`;
  });
  // The newest head last, once every button answers (a click while it loads is not lost).
  try { showHead(await api('GET', '/api/ledger/heads')); } catch (e) { if (e.status === 404) showHead(null); else throw e; }
}
