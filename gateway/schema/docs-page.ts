/**
 * `/docs`: the OpenAPI document rendered on the server as one HTML page — no script at all, one stylesheet from
 * this origin (`/docs/docs.css`), so it is served under a CSP as strict as the console's. Every value from the
 * document is escaped (pages/html.ts).
 */
import { html, SafeHtml } from '../pages/html.ts';

type Json = Record<string, unknown>;

const methods = ['get', 'post', 'put', 'delete', 'patch'] as const;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** A schema's type in a few words: `integer 1–2147483647`, `string ^[0-9A-Za-z]{8,32}$`, `WX | ALI | UN`. */
export function schemaSummary(schemaValue: unknown): string {
  const schema = asObject(schemaValue);
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map(schemaSummary).join(' or ');
  const type = String(schema.type ?? (schema.properties !== undefined ? 'object' : 'any'));
  const parts = [type];
  if (type === 'array') parts[0] = `list of ${schemaSummary(schema.items)}`;
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`${String(schema.minimum ?? '')}–${String(schema.maximum ?? '')}`);
  }
  if (schema.maxLength !== undefined) parts.push(`≤ ${String(schema.maxLength)} chars`);
  if (schema.minItems !== undefined || schema.maxItems !== undefined) {
    parts.push(`${String(schema.minItems ?? 0)}–${String(schema.maxItems ?? '…')} items`);
  }
  if (typeof schema.pattern === 'string' && schema['x-error-message'] === undefined)
    parts.push(schema.pattern);
  if (schema.patternProperties !== undefined) parts[0] = 'map';
  return parts.join(', ');
}

function fieldRows(schemaValue: unknown, prefix = ''): SafeHtml[] {
  const schema = asObject(schemaValue);
  const properties = asObject(schema.properties);
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).flatMap(([name, property]) => {
    const field = asObject(property);
    const rule =
      typeof field['x-error-message'] === 'string'
        ? `Must ${field['x-error-message'].replace(/^must /, '')}.`
        : '';
    const row = html`<tr>
      <td><code>${prefix}${name}</code></td>
      <td>${required.has(name) ? 'yes' : ''}</td>
      <td>${schemaSummary(field)}</td>
      <td>${String(field.description ?? '')} ${rule}</td>
    </tr>`;
    const nested = field.type === 'array' ? asObject(field.items) : field;
    return nested.properties !== undefined ? [row, ...fieldRows(nested, `${prefix}${name}.`)] : [row];
  });
}

function fieldTable(schema: unknown): SafeHtml {
  const rows = fieldRows(schema);
  if (rows.length === 0) return html``;
  return html`<table>
    <thead>
      <tr>
        <th>field</th>
        <th>required</th>
        <th>type</th>
        <th>description</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function parameterTable(parameters: unknown): SafeHtml {
  if (!Array.isArray(parameters) || parameters.length === 0) return html``;
  const rows = parameters.map((value) => {
    const parameter = asObject(value);
    return html`<tr>
      <td><code>${String(parameter.name)}</code> <small>${String(parameter.in)}</small></td>
      <td>${parameter.required === true ? 'yes' : ''}</td>
      <td>${schemaSummary(parameter.schema)}</td>
      <td>${String(parameter.description ?? asObject(parameter.schema).description ?? '')}</td>
    </tr>`;
  });
  return html`<table>
    <thead>
      <tr>
        <th>parameter</th>
        <th>required</th>
        <th>type</th>
        <th>description</th>
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}

function firstContentSchema(holder: unknown): unknown {
  const content = asObject(asObject(holder).content);
  const first = Object.values(content)[0];
  return asObject(first).schema;
}

function operationSection(method: string, path: string, operationValue: unknown): SafeHtml {
  const operation = asObject(operationValue);
  const body = firstContentSchema(operation.requestBody);
  const answer = asObject(firstContentSchema(asObject(operation.responses)['200']));
  const success = Array.isArray(answer.anyOf) ? answer.anyOf[0] : answer;
  const anchor = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
  return html`<section class="operation" id="${anchor}">
    <h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code></h3>
    <p class="summary">${String(operation.summary ?? '')}</p>
    ${operation.description !== undefined ? html`<p>${String(operation.description)}</p>` : ''}
    ${parameterTable(operation.parameters)}
    ${
      body !== undefined
        ? html`<h4>Request body</h4>
            ${fieldTable(body)}`
        : ''
    }
    <h4>Answer</h4>
    ${fieldRows(success).length > 0 ? fieldTable(success) : html`<p>${schemaSummary(success)} ${String(asObject(success).description ?? '')}</p>`}
  </section>`;
}

export function renderDocsPage(documentValue: unknown): string {
  const document = asObject(documentValue);
  const info = asObject(document.info);
  const byTag = new Map<string, SafeHtml[]>();
  const index: SafeHtml[] = [];
  for (const [path, itemValue] of Object.entries(asObject(document.paths))) {
    const item = asObject(itemValue);
    for (const method of methods) {
      if (item[method] === undefined) continue;
      const operation = asObject(item[method]);
      const tag = Array.isArray(operation.tags) ? String(operation.tags[0]) : 'other';
      const sections = byTag.get(tag) ?? [];
      sections.push(operationSection(method, path, operation));
      byTag.set(tag, sections);
      const anchor = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
      index.push(
        html`<li>
          <a href="#${anchor}">${method.toUpperCase()} ${path}</a> — ${String(operation.summary ?? '')}
        </li>`,
      );
    }
  }
  const webhooks = Object.entries(asObject(document.webhooks)).map(([name, itemValue]) => {
    const post = asObject(asObject(itemValue).post);
    return html`<section class="operation" id="webhook-${name}">
      <h3>
        <span class="method post">POST</span> <code>your webhook URL</code> — ${String(post.summary ?? name)}
      </h3>
      <p>${String(post.description ?? '')}</p>
      ${parameterTable(post.parameters)}
      <h4>Body</h4>
      ${fieldTable(firstContentSchema(post.requestBody))}
    </section>`;
  });
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>${String(info.title ?? 'API')} — API reference</title>
        <link rel="stylesheet" href="/docs/docs.css" />
      </head>
      <body>
        <header>
          <h1>${String(info.title ?? 'API')} <small>${String(info.version ?? '')}</small></h1>
          <p>${String(info.description ?? '')}</p>
          <p>
            Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${String(document.openapi)}).
          </p>
        </header>
        <nav>
          <ul>
            ${index}
          </ul>
        </nav>
        <main>
          ${[...byTag.entries()].map(
            ([tag, sections]) =>
              html`<h2>${tag}</h2>
                ${sections}`,
          )}
          ${
            webhooks.length > 0
              ? html`<h2>webhooks (sent to your server)</h2>
                  ${webhooks}`
              : ''
          }
        </main>
      </body>
    </html>`.value;
}

export const docsStylesheet = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;color:#1f2328}
h1 small{font-size:.5em;color:#656d76}h2{border-bottom:1px solid #d0d7de;margin-top:2.5rem;text-transform:capitalize}
nav ul{columns:2;font-size:.9em}code{font-family:ui-monospace,monospace;font-size:.92em}
.operation{border:1px solid #d0d7de;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8em;padding:.1rem .4rem}
.method.get{background:#0969da}.method.post{background:#1a7f37}.method.put{background:#9a6700}.method.delete{background:#cf222e}
.summary{font-weight:600}table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f6f8fa}
td small{color:#656d76}`;
