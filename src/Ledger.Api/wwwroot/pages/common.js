// What the case, accountability, assessment and audit pages share: the hash's query, refusals in words, Chinese
// names of the API's codes, times in China time. Labels only: every rule stays in the API.
import { ApiError } from '/api.js';
import { escape } from '/forms.js';

/** The part of the hash after '?', as URLSearchParams ("#/cases/x?asOf=…" → asOf). */
export function hashParams() {
  const at = location.hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : location.hash.slice(at + 1));
}

/** The hash's path without its query: "#/towns/440233100?year=2017" → "#/towns/440233100". */
export function hashPath() {
  const at = location.hash.indexOf('?');
  return at < 0 ? location.hash : location.hash.slice(0, at);
}

/** A refusal of the API as the page shows it: 无权 (403), 未找到 (404), or the API's words. */
export function refusalCard(error, what) {
  if (!(error instanceof ApiError)) throw error;
  const title = error.status === 403 ? '无权查看' : error.status === 404 ? '未找到' : '无法显示';
  const detail = error.status === 403 ? `您的账户无权查看${what}。` : error.status === 404 ? `没有找到${what}，或您无权查看。` : error.message;
  return `<section class="card refusal" role="alert"><h1>${title}</h1><p>${escape(detail)}</p></section>`;
}

export const AREA_LABELS = {
  responsibility: '责任落实', 'plans-and-policies': '专项规划和重大政策措施', 'poverty-reduction': '减贫任务',
  'identification-and-exit': '精准识别、精准退出', 'paired-assistance': '对口帮扶、定点扶贫',
  'sector-projects': '行业扶贫、专项扶贫、重点项目、涉农资金整合', 'fiscal-funds': '财政扶贫资金', 'team-building': '队伍建设',
};
export const SEVERITY_LABELS = { minor: '一般', serious: '较重', grave: '严重' };
export const ROLE_NAMES = {
  'inspection-office': '县委督查室', 'poverty-office': '县扶贫办', inspector: '督查组成员',
  respondent: '被督查单位', reviewer: '纪检监察', admin: '账户管理员',
};

/** May this role read the county's audit routes (digest, proofs, heads)? The API decides; this only hides buttons. */
export const readsAll = (role) => role === 'inspection-office' || role === 'poverty-office' || role === 'reviewer';
export const isOffice = (role) => role === 'inspection-office' || role === 'poverty-office';

/** An API timestamp in China time, to the second. */
export function chinaTime(timestamp) {
  return new Date(timestamp).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function card(inner, cls = '') {
  return `<section class="card ${cls}">${inner}</section>`;
}
