/** Status names of bills, refunds and webhook deliveries, in both languages. */
import type { Locale } from '../../i18n/locale.ts';

const names: Record<string, [en: string, zh: string]> = {
  open: ['Unpaid', '未支付'],
  paid: ['Paid', '已支付'],
  closed: ['Closed', '已关闭'],
  expired: ['Expired', '已过期'],
  pending_approval: ['Waiting for approval', '待审批'],
  processing: ['Processing', '处理中'],
  succeeded: ['Succeeded', '成功'],
  failed: ['Failed', '失败'],
  denied: ['Denied', '已拒绝'],
  pending: ['Pending', '待发送'],
  delivered: ['Delivered', '已送达'],
  no_endpoint: ['No webhook URL', '未设置地址'],
};

export function statusName(status: string, locale: Locale): string {
  const pair = names[status];
  if (!pair) return status;
  return locale === 'zh-CN' ? pair[1] : pair[0];
}
