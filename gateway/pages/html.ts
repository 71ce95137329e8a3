/** Server-rendered pages: escaping and the shared zh-CN layout (no inline scripts, one stylesheet). */

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** A piece of HTML that is already safe; everything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

type HtmlValue = SafeHtml | string | number | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template that escapes every interpolated value unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Fen as BeeCloud's pages showed it: ¥12.34 */
export function formatYuan(fen: number): string {
  return `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

export function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="/sandbox/pages.css" />
      </head>
      <body>
        <main class="card">${body}</main>
      </body>
    </html> `.value;
}

export const pagesCss = `
:root { color-scheme: light dark; --accent: #1677ff; --muted: #666; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f3f4f6; color: #111; }
.card { max-width: 420px; margin: 40px auto; padding: 24px; background: #fff; border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
h1 { font-size: 20px; margin: 0 0 16px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 8px 16px; margin: 0 0 24px; }
dt { color: var(--muted); }
dd { margin: 0; word-break: break-all; }
.amount { font-size: 28px; font-weight: 600; }
.sandbox { display: inline-block; font-size: 12px; padding: 2px 8px; border-radius: 4px; background: #fff4e5; color: #8a4b00; margin-bottom: 12px; }
form { display: inline; }
.actions { display: flex; gap: 12px; flex-wrap: wrap; }
button, .button { font: inherit; padding: 10px 20px; border-radius: 8px; border: 1px solid #ccc; background: #fff; color: #111; cursor: pointer; text-decoration: none; display: inline-block; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
.notice { padding: 12px; border-radius: 8px; background: #f5f5f5; }
.guide-arrow { position: fixed; top: 8px; right: 16px; font-size: 48px; line-height: 1; }
@media (prefers-color-scheme: dark) {
  body { background: #111; color: #eee; }
  .card { background: #1c1c1e; box-shadow: none; }
  button, .button { background: #2c2c2e; color: #eee; border-color: #444; }
  .notice { background: #2c2c2e; }
  dt { color: #aaa; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; animation: none !important; } }
`;
