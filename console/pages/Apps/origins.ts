/** Allowed origins as the operator types them: one per line (or comma-separated), blanks dropped. */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
