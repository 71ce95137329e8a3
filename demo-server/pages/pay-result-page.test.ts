import { describe, expect, it } from 'vitest';
import { payResultPage } from './pay-result-page.ts';

describe('payResultPage', () => {
  it('tells a payer whose payment did not go through what to do, in Chinese', () => {
    const text = payResultPage({
      parameters: { spay_result: 'false', bill_no: 'demo123456' },
      order: undefined,
    }).text;
    expect(text).toContain('<h1>支付未完成</h1>');
    expect(text).toContain('付款已取消或未成功，您可以返回商品页重新付款；如已扣款，请联系本店。');
  });

  it('says nothing of the kind when the payment page reports success', () => {
    const text = payResultPage({ parameters: { spay_result: 'true' }, order: undefined }).text;
    expect(text).toContain('<h1>支付完成</h1>');
    expect(text).not.toContain('付款已取消');
  });
});
