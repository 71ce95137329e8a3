/** Redirect channels: the gateway answers a URL and fields; a hidden form takes the payer there. */

export function submitRedirect(
  url: string,
  method: string,
  param: Record<string, unknown> = {},
  doc: Document = document,
): HTMLFormElement {
  const form = doc.createElement('form');
  form.method = method.toUpperCase() === 'POST' ? 'post' : 'get';
  form.action = url;
  form.acceptCharset = 'utf-8';
  form.hidden = true;
  for (const [name, value] of Object.entries(param)) {
    if (value === undefined || value === null) continue;
    const input = doc.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = typeof value === 'object' ? JSON.stringify(value) : String(value);
    form.appendChild(input);
  }
  doc.body.appendChild(form);
  // HTMLFormElement.prototype.submit: a field named "submit" cannot shadow it.
  HTMLFormElement.prototype.submit.call(form);
  return form;
}
