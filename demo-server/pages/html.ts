/**
 * Server-rendered HTML with every interpolated value escaped. `html\`…\`` escapes each `${value}` unless it is
 * already `Html` (another template, or `trustedHtml` for fixed markup); arrays are joined.
 */

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Interpolation = Html | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let text = strings[0];
  values.forEach((value, index) => {
    text += render(value) + strings[index + 1];
  });
  return new Html(text);
}

/** JSON for a `<script type="application/json">` data block: `<` is escaped so no `</script>` can end it. */
export function jsonDataBlock(id: string, data: unknown): Html {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Html(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}

/** Integer fen as yuan: 1 → "¥0.01". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function page(options: { title: string; body: Html; head?: Html; scripts?: string[] }): Html {
  return html`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta
          name="viewport"
          content="width=device-width,initial-scale=1.0,minimum-scale=1.0,maximum-scale=1.0,user-scalable=no"
        />
        <title>${options.title}</title>
        <link rel="stylesheet" href="/assets/demo.css" />
        ${options.head}
      </head>
      <body>
        <nav class="site-nav"><a href="/">商品</a> <a href="/orders">订单</a></nav>
        ${options.body} ${(options.scripts ?? []).map((src) => html`<script src="${src}"></script>`)}
      </body>
    </html> `;
}
