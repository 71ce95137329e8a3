import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../i18n/i18n.tsx';
import { Pager } from './Pager.tsx';
import { useCursorPages } from './use-cursor-pages.ts';

function Harness(props: { nextCursors: Record<string, string | null> }) {
  const pages = useCursorPages();
  return (
    <I18nProvider initial="en">
      <output>{pages.cursor ?? 'first'}</output>
      <Pager pages={pages} nextCursor={props.nextCursors[pages.cursor ?? 'first']} label="Bills pages" />
    </I18nProvider>
  );
}

afterEach(cleanup);

describe('Pager', () => {
  it('walks forward by the server’s cursors and back to the exact earlier pages', () => {
    render(<Harness nextCursors={{ first: 'c2', c2: 'c3', c3: null }} />);
    const next = screen.getByRole('button', { name: 'Next' });
    const previous = screen.getByRole('button', { name: 'Previous' });
    expect(previous).toBeDisabled();
    fireEvent.click(next);
    fireEvent.click(next);
    expect(document.querySelector('output')).toHaveTextContent('c3');
    expect(next).toBeDisabled();
    expect(screen.getByText('Page 3')).toBeInTheDocument();
    fireEvent.click(previous);
    expect(document.querySelector('output')).toHaveTextContent('c2');
  });
});
