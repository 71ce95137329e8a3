import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { ButtonChannel } from '../../api/types.ts';
import { I18nProvider } from '../../i18n/i18n.tsx';
import { ChannelList } from './ChannelList.tsx';
import { enabledCodes } from './channel-order.ts';

const initial: ButtonChannel[] = [
  { code: 'ali', label: 'Alipay', family: 'ALI', enabled: true },
  { code: 'wxmp', label: 'WeChat QR', family: 'WX', enabled: true },
  { code: 'un', label: 'UnionPay', family: 'UN', enabled: false },
];

function Harness() {
  const [channels, setChannels] = useState(initial);
  return (
    <I18nProvider initial="en">
      <ChannelList channels={channels} onChange={setChannels} />
      <output>{enabledCodes(channels).join(',')}</output>
    </I18nProvider>
  );
}

const order = () => [...document.querySelectorAll('li')].map((item) => item.dataset.code);

afterEach(cleanup);

describe('ChannelList', () => {
  it('turns a channel on with its switch', () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole('switch', { name: 'Show UnionPay' }));
    expect(document.querySelector('output')).toHaveTextContent('ali,wxmp,un');
  });

  it('moves a channel with Alt+arrow keys, keeps it focused and announces where it went', async () => {
    render(<Harness />);
    const union = document.querySelector<HTMLElement>('li[data-code="un"]')!;
    fireEvent.keyDown(union, { key: 'ArrowUp', altKey: true });
    expect(order()).toEqual(['ali', 'un', 'wxmp']);
    expect(screen.getByText('UnionPay moved to position 2 of 3.')).toHaveAttribute('aria-live', 'polite');
    // The moved row keeps the focus: the next Alt+↑ moves it again.
    await waitFor(() => expect(document.querySelector('li[data-code="un"]')).toHaveFocus());
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp', altKey: true });
    expect(order()).toEqual(['un', 'ali', 'wxmp']);
    fireEvent.keyDown(document.querySelector<HTMLElement>('li[data-code="un"]')!, {
      key: 'ArrowDown',
      altKey: true,
    });
    // Without Alt the arrow keys are left to the page (scrolling).
    fireEvent.keyDown(document.querySelector<HTMLElement>('li[data-code="un"]')!, { key: 'ArrowUp' });
    expect(order()).toEqual(['ali', 'un', 'wxmp']);
  });

  it('moves a channel with its buttons, and not past either end', () => {
    render(<Harness />);
    expect(screen.getByRole('button', { name: 'Move Alipay up' })).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: 'Move Alipay down' }));
    expect(order()).toEqual(['wxmp', 'ali', 'un']);
  });

  it('moves a channel where it is dropped', () => {
    render(<Harness />);
    const store = new Map<string, string>();
    const dataTransfer = {
      setData: (type: string, value: string) => store.set(type, value),
      getData: (type: string) => store.get(type) ?? '',
      effectAllowed: 'all',
      dropEffect: 'none',
    };
    fireEvent.dragStart(document.querySelector('li[data-code="un"]')!, { dataTransfer });
    fireEvent.drop(document.querySelector('li[data-code="ali"]')!, { dataTransfer });
    expect(order()).toEqual(['un', 'ali', 'wxmp']);
  });
});
