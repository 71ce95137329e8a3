/**
 * Text a payer will see or follow (issue 21 items 8 and 10): a title shown on the cashier pages must not hide or
 * reorder what it says (bidi controls such as U+202E, zero-width and other invisible characters), and a return_url
 * must be a URL the gateway can put in a Location header (no CR/LF, U+2028, spaces, controls).
 */

/** Characters that are invisible or change how the text around them is shown. */
const invisible =
  /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180e\u2800\u3164\uffa0\ufff9-\ufffb]/u;

/** Characters a URL may not carry as typed: the invisible ones plus any space. */
const notInUrl = /[\s\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Zs}\u034f\u115f\u1160\u2800\u3164\uffa0]/u;

function describe(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first invisible or reordering character of `text` as "U+202E", or undefined when there is none. */
export function findInvisibleCharacter(text: string): string | undefined {
  const match = invisible.exec(text);
  return match ? describe(match[0]) : undefined;
}

/** The first character a URL may not carry (space, control, invisible) as "U+000D", or undefined. */
export function findCharacterNotInUrl(text: string): string | undefined {
  const match = notInUrl.exec(text);
  return match ? describe(match[0]) : undefined;
}

/**
 * The URL as it can be sent in a Location header: printable ASCII as is; other text through the WHATWG URL
 * parser (IDN host in punycode, path percent-encoded). Undefined when it holds a character no URL may carry or
 * does not parse — the caller then sends the payer somewhere safe instead of answering HTTP 500.
 */
export function headerSafeUrl(url: string): string | undefined {
  if (/^[\x21-\x7e]*$/.test(url)) return url;
  if (findCharacterNotInUrl(url) !== undefined) return undefined;
  try {
    const href = new URL(url).href;
    return /^[\x21-\x7e]*$/.test(href) ? href : undefined;
  } catch {
    return undefined;
  }
}
