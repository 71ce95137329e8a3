/**
 * A labelled form control with its server error beside it: the error is linked by aria-describedby and marks the
 * control aria-invalid, so a screen reader reads it with the field.
 */
import type { ComponentChildren } from 'preact';

let counter = 0;
export function fieldId(name: string): string {
  counter += 1;
  return `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}-${counter}`;
}

export function Field(props: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: (control: {
    id: string;
    'aria-invalid'?: 'true';
    'aria-describedby'?: string;
  }) => ComponentChildren;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class={props.error ? 'field field-invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.children({
        id: props.id,
        'aria-invalid': props.error ? 'true' : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {props.hint && (
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}
