import '@testing-library/jest-dom/vitest';
import { cleanup, act, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { qrTexts } from '../QrPanel/qr-texts.ts';
import { crossedAnnouncement, formatClock, isAnnouncementMoment } from './announcements.ts';
import { Countdown } from './Countdown.tsx';

afterEach(cleanup);

describe('Countdown', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('counts down to the expiry and calls onExpire once', () => {
    const onExpire = vi.fn();
    render(
      <Countdown
        expiresAt={Date.now() + 65_000}
        texts={qrTexts('zh-CN')}
        onExpire={onExpire}
        announce={() => {}}
      />,
    );
    expect(screen.getByRole('timer')).toHaveTextContent('剩余 01:05');
    act(() => void vi.advanceTimersByTime(5_000));
    expect(screen.getByRole('timer')).toHaveTextContent('剩余 01:00');
    act(() => void vi.advanceTimersByTime(60_000));
    expect(screen.getByRole('timer')).toHaveTextContent('剩余 00:00');
    act(() => void vi.advanceTimersByTime(10_000));
    expect(onExpire).toHaveBeenCalledOnce();
  });

  it('announces at the minute and at 30 s', () => {
    const announce = vi.fn();
    render(
      <Countdown
        expiresAt={Date.now() + 61_000}
        texts={qrTexts('zh-CN')}
        onExpire={() => {}}
        announce={announce}
      />,
    );
    act(() => void vi.advanceTimersByTime(31_000));
    expect(announce.mock.calls.map(([text]) => text)).toEqual([
      '二维码将在 1 分钟后过期',
      '二维码将在 30 秒后过期',
    ]);
  });
});

describe('announcement rhythm', () => {
  it('every 3 minutes, every minute under 5, every 30 s under 1', () => {
    const moments = Array.from({ length: 900 }, (_, index) => 900 - index).filter(isAnnouncementMoment);
    expect(moments).toEqual([900, 720, 540, 360, 300, 240, 180, 120, 60, 30]);
  });
  it('finds a moment skipped by a throttled tab', () => {
    expect(crossedAnnouncement(65, 55)).toBe(60);
    expect(crossedAnnouncement(59, 58)).toBeUndefined();
  });
  it('formats mm:ss', () => {
    expect(formatClock(7200)).toBe('120:00');
    expect(formatClock(59)).toBe('00:59');
    expect(formatClock(-3)).toBe('00:00');
  });
});
