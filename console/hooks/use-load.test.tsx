import '@testing-library/jest-dom/vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { useLoad } from './use-load.ts';

function Show(props: { id: string; delays: Record<string, number> }) {
  const loaded = useLoad(
    () =>
      new Promise<string>((resolve) => setTimeout(() => resolve(`bill ${props.id}`), props.delays[props.id])),
    [props.id],
  );
  return <p>{loaded.loading ? 'loading' : loaded.data}</p>;
}

afterEach(cleanup);

describe('useLoad', () => {
  it('keeps the answer of the newest inputs when an older one arrives later', async () => {
    const delays = { a: 40, b: 1 };
    const { rerender } = render(<Show id="a" delays={delays} />);
    rerender(<Show id="b" delays={delays} />);
    await waitFor(() => expect(screen.getByText('bill b')).toBeInTheDocument());
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(screen.getByText('bill b')).toBeInTheDocument();
  });
});
