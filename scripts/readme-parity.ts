/**
 * Keeps the English READMEs and their Chinese translations in step (issue 20). Every heading of a Chinese README
 * names the English heading it translates with an HTML comment holding that heading's GitHub anchor:
 *
 *   ## Benchmarks                          (README.md)
 *   ## 基准测试 <!-- benchmarks -->         (README.zh-CN.md)
 *
 * The check fails when a heading exists in one language and not in the other, when a pair differs in level, or
 * when the order differs; each problem says which heading is missing where. The two files also link each other
 * near their top.
 */

export interface Heading {
  level: number;
  /** The heading's text, without the `#`s and without the anchor comment. */
  text: string;
  /** The GitHub anchor (English) or the anchor named by the comment (translation; '' when there is none). */
  anchor: string;
  line: number;
}

const ANCHOR_COMMENT = /\s*<!--\s*([^\s>]*)\s*-->\s*$/;

/** GitHub's anchor for a heading: a link's text only, lower case, punctuation dropped, spaces to hyphens. */
export function githubAnchor(text: string): string {
  return text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The ATX headings of a Markdown text, outside fenced code blocks. Anchors repeat as GitHub numbers them (-1, -2). */
export function headingsOf(markdown: string, anchors: 'github' | 'comment'): Heading[] {
  const headings: Heading[] = [];
  const seen = new Map<string, number>();
  let fence: string | null = null;
  markdown.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    const fenceMark = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark[0];
      else if (fenceMark[0] === fence) fence = null;
      return;
    }
    if (fence !== null) return;
    const match = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match) return;
    const comment = ANCHOR_COMMENT.exec(match[2]);
    const text = comment ? match[2].slice(0, comment.index).trim() : match[2];
    let anchor = anchors === 'comment' ? (comment?.[1] ?? '') : githubAnchor(text);
    if (anchors === 'github') {
      const count = seen.get(anchor) ?? 0;
      seen.set(anchor, count + 1);
      if (count > 0) anchor = `${anchor}-${count}`;
    }
    headings.push({ level: match[1].length, text, anchor, line: index + 1 });
  });
  return headings;
}

export interface ReadmePair {
  /** Paths as the messages name them, e.g. "README.md" and "README.zh-CN.md". */
  englishPath: string;
  translationPath: string;
  english: string;
  translation: string;
}

function show(heading: Heading): string {
  return `"${'#'.repeat(heading.level)} ${heading.text}" (line ${heading.line})`;
}

/** Everything that is out of step between an English README and its translation; [] when they match. */
export function parityProblems(pair: ReadmePair): string[] {
  const { englishPath, translationPath } = pair;
  const english = headingsOf(pair.english, 'github');
  const translated = headingsOf(pair.translation, 'comment');
  const problems: string[] = [];
  const englishByAnchor = new Map(english.map((heading) => [heading.anchor, heading]));
  const translatedAnchors = new Set<string>();

  for (const heading of translated) {
    if (!heading.anchor) {
      problems.push(
        `${translationPath}: ${show(heading)} does not say which ${englishPath} heading it translates: ` +
          `end it with <!-- anchor -->, the English heading's anchor`,
      );
      continue;
    }
    translatedAnchors.add(heading.anchor);
    const original = englishByAnchor.get(heading.anchor);
    if (!original) {
      problems.push(
        `${translationPath}: ${show(heading)} translates #${heading.anchor}, which is not a heading of ` +
          `${englishPath} (renamed or removed there?)`,
      );
    } else if (original.level !== heading.level) {
      problems.push(
        `${translationPath}: ${show(heading)} is level ${heading.level}, but ${englishPath} ${show(original)} ` +
          `is level ${original.level}`,
      );
    }
  }
  for (const heading of english) {
    if (!translatedAnchors.has(heading.anchor)) {
      problems.push(
        `${englishPath}: ${show(heading)} is missing from ${translationPath}: add its translation, a level ` +
          `${heading.level} heading ending with <!-- ${heading.anchor} -->`,
      );
    }
  }
  if (problems.length === 0) {
    const englishOrder = english.map((heading) => heading.anchor);
    const translatedOrder = translated.map((heading) => heading.anchor);
    const at = englishOrder.findIndex((anchor, index) => translatedOrder[index] !== anchor);
    if (at >= 0) {
      const expected = english[at];
      const found = translated[at];
      problems.push(
        `${translationPath}: heading ${at + 1} is ${show(found)} (#${found.anchor}), but in ${englishPath} ` +
          `heading ${at + 1} is ${show(expected)}: keep the same order`,
      );
    }
  }
  const linkName = (path: string) => path.split('/').pop()!;
  const top = (text: string) => text.split('\n').slice(0, 8).join('\n');
  if (!top(pair.english).includes(`(${linkName(translationPath)})`)) {
    problems.push(`${englishPath}: link to ${linkName(translationPath)} near the top (first 8 lines)`);
  }
  if (!top(pair.translation).includes(`(${linkName(englishPath)})`)) {
    problems.push(`${translationPath}: link to ${linkName(englishPath)} near the top (first 8 lines)`);
  }
  return problems;
}
