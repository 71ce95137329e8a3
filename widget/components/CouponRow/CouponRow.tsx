/**
 * The menu's 优惠券 row (shipped in the lazy chunk): the buyer's coupons as a native radio group with "none"
 * first; a usable coupon shows what it takes off, an unusable one is greyed out and disabled with why.
 */
import type { ButtonCoupon } from '../../../sdk/button-types.ts';
import type { Locale } from '../../i18n.ts';
import { formatFen } from '../../money.ts';
import { couponTexts } from './coupon-texts.ts';

export interface CouponRowProps {
  coupons: readonly ButtonCoupon[];
  /** The picked coupon's id, undefined for none. */
  chosen: string | undefined;
  locale: Locale;
  onChoose(id: string | undefined): void;
}

export function CouponRow({ coupons, chosen, locale, onChoose }: CouponRowProps) {
  const texts = couponTexts(locale);
  return (
    <fieldset class="channels coupons">
      <legend class="coupon-title">{texts.title}</legend>
      <label class="row">
        <input
          type="radio"
          name="bc-coupon"
          value=""
          checked={chosen === undefined}
          onChange={() => onChoose(undefined)}
        />
        <span class="row-body">
          <span class="row-label">{texts.none}</span>
        </span>
      </label>
      {coupons.map((coupon) => {
        const why =
          coupon.reason === 'below_threshold'
            ? texts.needs(formatFen(coupon.limit_fee))
            : coupon.reason
              ? texts.refusal[coupon.reason]
              : '';
        return (
          <label
            class="row"
            key={coupon.id}
            data-coupon={coupon.id}
            style={coupon.usable ? undefined : 'opacity:.5;cursor:not-allowed'}
          >
            <input
              type="radio"
              name="bc-coupon"
              value={coupon.id}
              disabled={!coupon.usable}
              checked={chosen === coupon.id}
              onChange={() => onChoose(coupon.id)}
            />
            <span class="row-body">
              <span class="row-label">{coupon.name}</span>
              <span class="coupon-note">{coupon.usable ? texts.off(formatFen(coupon.discount)) : why}</span>
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
