import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { Field } from './Field.tsx';

afterEach(cleanup);

describe('Field', () => {
  it('links the server error to its control', () => {
    render(
      <Field id="fee" label="Refund amount" error="must be at least 1">
        {(control) => <input {...control} />}
      </Field>,
    );
    const input = screen.getByLabelText('Refund amount');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('must be at least 1');
  });

  it('is a plain labelled control without an error', () => {
    render(
      <Field id="name" label="Name">
        {(control) => <input {...control} />}
      </Field>,
    );
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });
});
