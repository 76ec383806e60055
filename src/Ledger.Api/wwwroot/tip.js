// 群众举报: the public page. A tip and a receipt look-up, through the same public routes programs use.
import { api } from '/api.js';
import { showErrors, clearErrors, escape } from '/forms.js';

const tip = document.getElementById('tip');
tip.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(tip);
  const value = (name) => tip[name].value.trim() || null;
  try {
    const answer = await api('POST', '/api/tips',
      { description: value('description'), town: value('town'), village: value('village'), contact: value('contact') });
    tip.reset();
    document.getElementById('receipt').innerHTML =
      `<p class="notice">已收到。请保存回执号，凭它查询办理情况：<span class="secret" id="receipt-number">${escape(answer.receipt)}</span></p>`;
  } catch (e) {
    showErrors(tip, e);
  }
});

const lookup = document.getElementById('lookup');
lookup.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(lookup);
  try {
    const state = await api('POST', '/api/tips/status', { receipt: lookup.receipt.value.trim() });
    document.getElementById('state').innerHTML =
      `<p class="notice" id="tip-state">办理情况：${escape(state.statusLabel)}（${escape(state.receivedOn)} 收到${state.rectified ? '，已整改' : ''}）</p>`;
  } catch (e) {
    if (e.status === 404) lookup.querySelector('.error[data-for="receipt"]').textContent = '没有这个回执号';
    else showErrors(lookup, e);
  }
});
