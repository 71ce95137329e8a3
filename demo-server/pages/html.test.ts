import { describe, expect, it } from 'vitest';
import { formatFen, html, jsonDataBlock } from './html.ts';

describe('html templates', () => {
  it('escapes every interpolated value', () => {
    const title = `<script>alert("x")</script>&'`;
    expect(html`<h1 title="${title}">${title}</h1>`.text).toBe(
      '<h1 title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</h1>',
    );
  });

  it('nests templates and joins arrays without escaping them twice', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    // prettier-ignore
    const list = html`<ul>${items}</ul>`;
    expect(list.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });

  it('renders nothing for null, undefined and false', () => {
    expect(html`[${null}${undefined}${false}${0}]`.text).toBe('[0]');
  });
});

describe('jsonDataBlock', () => {
  it('cannot be closed early by a value containing </script>', () => {
    const block = jsonDataBlock('data', { title: '</script><script>alert(1)</script>' }).text;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    const json = block.slice(block.indexOf('>') + 1, block.lastIndexOf('</script>'));
    expect(JSON.parse(json)).toEqual({ title: '</script><script>alert(1)</script>' });
  });
});

describe('formatFen', () => {
  it.each([
    [1, '¥0.01'],
    [100, '¥1.00'],
    [123456, '¥1234.56'],
    [0, '¥0.00'],
  ])('shows %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});
