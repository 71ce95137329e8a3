/**
 * The settings fields of each channel family, as the gateway's settings parsers take them
 * (gateway/channels/alipay/settings.ts, wechatpay/wechatpay-settings.ts, unionpay/unionpay-settings.ts).
 * `pem`: a key or certificate, pasted or uploaded; `list`: several PEM certificates in one box.
 */
import type { Family } from '../../api/types.ts';

export interface CredentialField {
  name: string;
  kind: 'text' | 'pem' | 'secret' | 'choice';
  optional?: boolean;
  list?: boolean;
  /** Base64 of a binary file (UnionPay's .pfx) when uploaded. */
  binary?: boolean;
  choices?: string[];
}

export const credentialFields: Record<Family, CredentialField[]> = {
  ALI: [
    { name: 'app_id', kind: 'text' },
    { name: 'mode', kind: 'choice', choices: ['public_key', 'cert'] },
    { name: 'app_private_key', kind: 'pem' },
    { name: 'alipay_public_key', kind: 'pem', optional: true },
    { name: 'app_cert', kind: 'pem', optional: true },
    { name: 'alipay_public_cert', kind: 'pem', optional: true },
    { name: 'alipay_root_cert', kind: 'pem', optional: true },
    { name: 'seller_id', kind: 'text', optional: true },
    { name: 'gateway_url', kind: 'text', optional: true },
  ],
  WX: [
    { name: 'mchid', kind: 'text' },
    { name: 'appid', kind: 'text' },
    { name: 'merchant_private_key', kind: 'pem' },
    { name: 'merchant_serial_no', kind: 'text' },
    { name: 'apiv3_key', kind: 'secret' },
    { name: 'wechatpay_public_key', kind: 'pem', optional: true },
    { name: 'wechatpay_public_key_id', kind: 'text', optional: true },
    { name: 'platform_certificates', kind: 'pem', optional: true, list: true },
    { name: 'merchant_certificate', kind: 'pem', optional: true },
    { name: 'app_secret', kind: 'secret', optional: true },
    { name: 'api_base_url', kind: 'text', optional: true },
    { name: 'oauth_base_url', kind: 'text', optional: true },
    { name: 'sns_api_base_url', kind: 'text', optional: true },
  ],
  UN: [
    { name: 'mer_id', kind: 'text' },
    { name: 'signing_pfx', kind: 'pem', optional: true, binary: true },
    { name: 'signing_pfx_password', kind: 'secret', optional: true },
    { name: 'private_key', kind: 'pem', optional: true },
    { name: 'certificate', kind: 'pem', optional: true },
    { name: 'root_certificate', kind: 'pem' },
    { name: 'middle_certificate', kind: 'pem' },
    { name: 'expected_signer_cn', kind: 'text', optional: true },
    { name: 'front_url', kind: 'text', optional: true },
    { name: 'back_url', kind: 'text', optional: true },
  ],
};

/**
 * The settings object to send: empty fields left out (the gateway keeps their saved values), fields to remove sent
 * as null, a list field split into its PEM blocks.
 */
export function settingsToSend(
  family: Family,
  values: Record<string, string>,
  removed: ReadonlySet<string> = new Set(),
): Record<string, string | string[] | null> {
  const settings: Record<string, string | string[] | null> = {};
  for (const field of credentialFields[family]) {
    if (removed.has(field.name)) {
      settings[field.name] = null;
      continue;
    }
    const value = (values[field.name] ?? '').trim();
    if (value === '') continue;
    settings[field.name] = field.list
      ? (value.match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/g) ?? [value])
      : value;
  }
  return settings;
}

/** The field a server error names (`settings.app_private_key` → `app_private_key`). */
export function settingsField(field: string | undefined): string | undefined {
  if (!field) return undefined;
  return field.startsWith('settings.') ? field.slice('settings.'.length).split('.')[0] : undefined;
}
