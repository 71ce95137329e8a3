/**
 * The widget's builds shorten the property names listed in vite.config.ts's INTERNAL_PROPERTIES (one fixed map for
 * the first script and the QR chunk). A listed name that is also a name outside the widget — a field of BC.click's
 * data or of an event a merchant's page reads (widget/spay-button.d.ts), or a field the gateway reads or answers
 * (its TypeBox schemas) — would be renamed in the built script and silently lost on the wire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERNAL_PROPERTIES } from '../vite.config.ts';

// The widget's tests run in jsdom (import.meta.url is not a file URL there): vitest runs from the repository root.
const root = process.cwd();

function publicTypingNames(): Set<string> {
  const typings = readFileSync(join(root, 'widget/spay-button.d.ts'), 'utf8');
  return new Set(
    [...typings.matchAll(/^\s*['"]?([A-Za-z_$][\w$]*)['"]?\??\s*[:(]/gm)].map((match) => match[1]!),
  );
}

function gatewaySchemaNames(): Set<string> {
  const names = new Set<string>();
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/schemas?\.ts$/.test(entry.name)) {
        const source = readFileSync(path, 'utf8');
        for (const match of source.matchAll(
          /['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:Type\.|[A-Za-z]+Field|optional\()/g,
        )) {
          names.add(match[1]!);
        }
      }
    }
  };
  walk(join(root, 'gateway'));
  return names;
}

describe('the widget build’s shortened property names', () => {
  it('finds the names it checks against (the scans read the files they should)', () => {
    expect(publicTypingNames()).toContain('out_trade_no');
    expect(publicTypingNames()).toContain('instant_channel');
    expect(gatewaySchemaNames()).toContain('bill_no');
    expect(gatewaySchemaNames().size).toBeGreaterThan(100);
  });

  it('never shortens a name of BC.click’s data, of an event, or of a gateway field', () => {
    const outside = new Set([...publicTypingNames(), ...gatewaySchemaNames()]);
    expect(INTERNAL_PROPERTIES.filter((name) => outside.has(name))).toEqual([]);
  });

  it('lists each name once', () => {
    expect(new Set(INTERNAL_PROPERTIES).size).toBe(INTERNAL_PROPERTIES.length);
  });
});
