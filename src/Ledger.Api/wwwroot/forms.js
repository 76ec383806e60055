// Showing a refused form's errors next to its fields, in Chinese, without losing what was typed.
const MESSAGES = [
  [/is required/, '必填'],
  [/must have at least (\d+) characters/, (m) => `至少 ${m[1]} 个字符`],
  [/too easy to guess/, '太容易被猜到'],
  [/must differ from the one-time password/, '不能与一次性密码相同'],
  [/may hold only letters/, '只能包含字母、数字、“.”、“-”和“_”'],
  [/scope must be town:<code> or unit:<code>/, '被督查单位须填写范围：town:镇代码 或 unit:单位代码'],
  [/scope is only for a respondent/, '只有被督查单位填写范围'],
  [/role must be one of/, '请选择角色'],
  [/exists already/, '该用户名已存在'],
  [/is longer than (\d+) characters/, (m) => `不能超过 ${m[1]} 个字符`],
  [/unknown town code/, '没有这个镇（街）代码'],
  [/unknown village code/, '没有这个村代码'],
  [/village \S+ lies in town/, '该村不属于所填的镇（街）'],
  [/^(.*) belongs to unit (\S+) \((.*)\), which this inspection inspects/, (m) => `${m[1]} 来自被督查单位 ${m[3]}，应当回避`],
  [/^(.*) belongs to the work team stationed in town (\S+), which this inspection inspects/, (m) => `${m[1]} 是驻被督查镇（${m[2]}）工作队成员，应当回避`],
  [/^(.*) comes from unit (\S+) \((.*)\), which is not a leading-group member unit/, (m) => `${m[1]} 所在单位 ${m[3]} 不是扶贫开发领导小组成员单位`],
  [/^(.*) must come from exactly one unit or one town/, (m) => `${m[1]} 须填写所在单位或所在镇（街）之一`],
  [/the team leader \(组长\) submits the report/, '报告由督查组组长提交'],
  [/only a member of this inspection's team records/, '只有本督查组成员可以记录问题'],
];

/** A message of the API in Chinese (the API's own Chinese messages pass through). */
export function chinese(message) {
  for (const [pattern, text] of MESSAGES) {
    const match = pattern.exec(message);
    if (match) return typeof text === 'function' ? text(match) : text;
  }
  return message;
}

export function clearErrors(form) {
  for (const p of form.querySelectorAll('.error')) p.textContent = '';
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** Puts each error under its field (by the field's name), the others at the form's end. Inputs keep their values. */
export function showErrors(form, error) {
  clearErrors(form);
  const byField = error.fieldErrors ? error.fieldErrors() : {};
  let shown = false;
  for (const [field, messages] of Object.entries(byField)) {
    const slot = field && form.querySelector(`.error[data-for="${field}"]`);
    if (!slot) continue;
    slot.textContent = messages.map(chinese).join('；');
    form.querySelector(`[name="${field}"]`)?.setAttribute('aria-invalid', 'true');
    shown = true;
  }
  if (!shown || byField['']) form.querySelector('.error[data-for="form"]').textContent = chinese(error.message);
}

export function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
