import { describe, expect, it } from 'vitest';
import { githubAnchor, headingsOf, parityProblems } from './readme-parity.ts';

const english = `# spay — BeeCloud's 秒支付 button, self-hosted

[中文](README.zh-CN.md)

## The two commands

\`\`\`sh
# not a heading: a comment in a code block
\`\`\`

## REST API (\`/2/rest/*\`, as BeeCloud's)

#### Widget size (gzip -9, brotli q11)

## Benchmarks
`;

const chinese = `# spay：自托管的 BeeCloud 秒支付按钮 <!-- spay--beeclouds-秒支付-button-self-hosted -->

[English](README.md)

## 两条命令 <!-- the-two-commands -->

## REST API（与 BeeCloud 相同） <!-- rest-api-2rest-as-beeclouds -->

#### 组件体积 <!-- widget-size-gzip--9-brotli-q11 -->

## 基准测试 <!-- benchmarks -->
`;

const pair = (translation: string, englishText = english) => ({
  englishPath: 'README.md',
  translationPath: 'README.zh-CN.md',
  english: englishText,
  translation,
});

describe('githubAnchor', () => {
  it("makes GitHub's anchors", () => {
    expect(githubAnchor("REST API (`/2/rest/*`, as BeeCloud's)")).toBe('rest-api-2rest-as-beeclouds');
    expect(githubAnchor("spay — BeeCloud's 秒支付 button, self-hosted")).toBe(
      'spay--beeclouds-秒支付-button-self-hosted',
    );
    expect(githubAnchor('API (typed in [`spay-button.d.ts`](spay-button.d.ts))')).toBe(
      'api-typed-in-spay-buttondts',
    );
    expect(githubAnchor('4. Refund (`POST /2/rest/refund`) and pre-refunds')).toBe(
      '4-refund-post-2restrefund-and-pre-refunds',
    );
  });
});

describe('headingsOf', () => {
  it('skips code blocks, reads levels, and numbers repeated anchors', () => {
    const headings = headingsOf(`${english}\n## Benchmarks\n`, 'github');
    expect(headings.map((heading) => [heading.level, heading.anchor])).toEqual([
      [1, 'spay--beeclouds-秒支付-button-self-hosted'],
      [2, 'the-two-commands'],
      [2, 'rest-api-2rest-as-beeclouds'],
      [4, 'widget-size-gzip--9-brotli-q11'],
      [2, 'benchmarks'],
      [2, 'benchmarks-1'],
    ]);
  });

  it('reads the anchor comment of a translated heading, not its text', () => {
    expect(headingsOf('## 基准测试 <!-- benchmarks -->\n', 'comment')).toEqual([
      { level: 2, text: '基准测试', anchor: 'benchmarks', line: 1 },
    ]);
  });
});

describe('parityProblems', () => {
  it('finds nothing when every heading has its translation, in order, at its level', () => {
    expect(parityProblems(pair(chinese))).toEqual([]);
  });

  it('says which English heading is missing from the translation, and how to add it', () => {
    const withSecurity = english.replace('## Benchmarks', '## Security\n\n## Benchmarks');
    expect(parityProblems(pair(chinese, withSecurity))).toEqual([
      'README.md: "## Security" (line 15) is missing from README.zh-CN.md: add its translation, a level 2 heading ending with <!-- security -->',
    ]);
  });

  it('says which translated heading has no English heading', () => {
    const extra = `${chinese}\n## 控制台 <!-- the-console -->\n`;
    expect(parityProblems(pair(extra))).toEqual([
      'README.zh-CN.md: "## 控制台" (line 13) translates #the-console, which is not a heading of README.md (renamed or removed there?)',
    ]);
  });

  it('wants an anchor comment on every translated heading', () => {
    const bare = chinese.replace(' <!-- benchmarks -->', '');
    expect(parityProblems(pair(bare))).toEqual([
      'README.zh-CN.md: "## 基准测试" (line 11) does not say which README.md heading it translates: end it with <!-- anchor -->, the English heading\'s anchor',
      'README.md: "## Benchmarks" (line 15) is missing from README.zh-CN.md: add its translation, a level 2 heading ending with <!-- benchmarks -->',
    ]);
  });

  it('wants the same level and the same order', () => {
    expect(parityProblems(pair(chinese.replace('## 基准测试', '### 基准测试')))).toEqual([
      'README.zh-CN.md: "### 基准测试" (line 11) is level 3, but README.md "## Benchmarks" (line 15) is level 2',
    ]);
    const swapped = chinese
      .replace('## 两条命令 <!-- the-two-commands -->', '## 基准测试 <!-- benchmarks -->')
      .replace(/## 基准测试 <!-- benchmarks -->\n$/, '## 两条命令 <!-- the-two-commands -->\n');
    expect(parityProblems(pair(swapped))).toEqual([
      'README.zh-CN.md: heading 2 is "## 基准测试" (line 5) (#benchmarks), but in README.md heading 2 is "## The two commands" (line 5): keep the same order',
    ]);
  });

  it('wants the two files to link each other near the top', () => {
    expect(
      parityProblems(
        pair(chinese.replace('[English](README.md)', ''), english.replace('[中文](README.zh-CN.md)', '')),
      ),
    ).toEqual([
      'README.md: link to README.zh-CN.md near the top (first 8 lines)',
      'README.zh-CN.md: link to README.md near the top (first 8 lines)',
    ]);
  });
});
