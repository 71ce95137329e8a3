/**
 * Which addresses the gateway may send to. Webhook URLs and a bill's notify_url are chosen by whoever holds an
 * app's secrets (the demo app's are public), so without a rule the gateway would POST to its own loopback, the
 * cloud metadata service (169.254.169.254) or the operator's private network and show the answer back (SSRF).
 *
 * Refused: loopback, "this network" (0.0.0.0/8, `0`), private (RFC 1918, fc00::/7), shared (100.64/10),
 * link-local (169.254/16, fe80::/10), documentation, benchmarking, multicast, reserved and broadcast ranges, and
 * the IPv4-mapped / NAT64 forms of all of them. Checked twice: when a URL is set (its literal address or a
 * `localhost` name, `targetRefusal`) and when connecting, on the address the name resolved to (outbound-http.ts),
 * so a name that resolves (or re-resolves) to an internal address fails too.
 *
 * Local development (the demo shop on 127.0.0.1) turns the rule off: `SPAY_ALLOW_PRIVATE_TARGETS=1` or the
 * gateway option `allowPrivateTargets`.
 */
import { BlockList, isIP } from 'node:net';

const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

/** True for an address the gateway must not send to (IPv4 or IPv6, IPv4-mapped and NAT64 forms included). */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return refused.check(bare, 'ipv4');
  if (family !== 6) return true;
  if (refused.check(bare, 'ipv6')) return true;
  const embedded = embeddedIpv4(bare);
  return embedded !== undefined && refused.check(embedded, 'ipv4');
}

/** The IPv4 address inside an IPv4-compatible (::a.b.c.d), mapped (::ffff:…) or NAT64 (64:ff9b::/96) address. */
function embeddedIpv4(address: string): string | undefined {
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const zeroPrefix = groups.slice(0, 5).every((group) => group === 0);
  const mapped = zeroPrefix && (groups[5] === 0xffff || groups[5] === 0);
  const nat64 =
    groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
  if (!mapped && !nat64) return undefined;
  const high = groups[6]!;
  const low = groups[7]!;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.map((group) => parseInt(group, 16));
}

/** Names that always mean this machine (RFC 6761), whatever DNS says. */
function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain';
}

/**
 * Why the gateway will not send to `url`, or null when it may (http/https with a public literal address or a
 * name; names are checked again on the resolved address when connecting). `allowPrivate` skips the address rule.
 */
export function targetRefusal(url: string | URL, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'must start with http:// or https://';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  if (allowPrivate) return null;
  // The WHATWG parser has already turned `0`, `2130706433`, `0x7f.1` … into dotted IPv4.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) {
    return isInternalAddress(host)
      ? `must not point at a loopback, private or link-local address (${host})`
      : null;
  }
  if (isLocalName(host)) return `must not point at this machine (${host})`;
  return null;
}

/** The switch for local development: SPAY_ALLOW_PRIVATE_TARGETS=1. */
export function privateTargetsAllowedByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SPAY_ALLOW_PRIVATE_TARGETS === '1' || env.SPAY_ALLOW_PRIVATE_TARGETS === 'true';
}
