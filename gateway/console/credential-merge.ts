/**
 * What a console credentials save means: the fields the operator entered over what is stored. Saved secrets are
 * never sent back to the browser, so a field the operator left out keeps its stored value; a field sent as `null`
 * is removed. Fields the family's parser derives (certificate serials) are dropped and derived again, and entering
 * one way of giving a key (Alipay's public-key or certificate mode, UnionPay's .pfx or key + certificate) drops
 * the stored other way. The result goes through the family's parser as a whole before anything is stored.
 */
import type { ChannelFamily } from '../channels/channels.ts';

interface MergeRules {
  /** Stored fields the parser computes from others. */
  derived: readonly string[];
  /** Ways of giving the same thing: entering any field of one drops the stored fields of the others. */
  alternatives: ReadonlyArray<readonly string[]>;
  /** A choice field whose value selects one alternative (Alipay's `mode`). */
  selector?: { field: string; alternatives: Record<string, number> };
}

/** Per family with live credentials (PAYPAL has none: sandbox only). */
const rules: Partial<Record<ChannelFamily, MergeRules>> = {
  ALI: {
    derived: ['app_cert_sn', 'alipay_cert_sn', 'alipay_root_cert_sn'],
    alternatives: [['alipay_public_key'], ['app_cert', 'alipay_public_cert', 'alipay_root_cert']],
    selector: { field: 'mode', alternatives: { public_key: 0, cert: 1 } },
  },
  WX: { derived: [], alternatives: [] },
  UN: {
    derived: ['cert_id'],
    alternatives: [
      ['signing_pfx', 'signing_pfx_password'],
      ['private_key', 'certificate'],
    ],
  },
};

/** The settings to parse: `entered` over `stored` (absent = keep, null = remove), as described above. */
export function mergeCredentials(
  family: ChannelFamily,
  stored: Record<string, unknown> | undefined,
  entered: Record<string, unknown>,
): Record<string, unknown> {
  const { derived, alternatives, selector } = rules[family] ?? { derived: [], alternatives: [] };
  const kept: Record<string, unknown> = { ...stored };
  for (const field of derived) delete kept[field];
  const given = (field: string) => entered[field] !== undefined && entered[field] !== null;
  const chosen = new Set<number>();
  alternatives.forEach((fields, index) => {
    if (fields.some(given)) chosen.add(index);
  });
  if (selector && typeof entered[selector.field] === 'string') {
    const index = selector.alternatives[entered[selector.field] as string];
    if (index !== undefined) chosen.add(index);
  }
  if (chosen.size > 0) {
    alternatives.forEach((fields, index) => {
      if (!chosen.has(index)) for (const field of fields) delete kept[field];
    });
  }
  const merged: Record<string, unknown> = { ...kept };
  for (const [field, value] of Object.entries(entered)) {
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  for (const [field, value] of Object.entries(merged)) if (value === null) delete merged[field];
  return merged;
}
