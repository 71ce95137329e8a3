import { Component } from 'preact';
import type { QrTexts } from '../QrPanel/qr-texts.ts';
import { crossedAnnouncement, formatClock } from './announcements.ts';

export interface CountdownProps {
  /** ms since epoch, from the gateway. */
  expiresAt: number;
  texts: QrTexts;
  onExpire(): void;
  /** Puts a sentence in the dialog's live region. */
  announce(text: string): void;
  now?: () => number;
}

/** "剩余 mm:ss" until the bill expires; calls onExpire once at zero; announces the time left now and then. */
export class Countdown extends Component<CountdownProps, { left: number }> {
  timer?: ReturnType<typeof setInterval>;
  done = false;
  /** The seconds left at the last tick (state updates are asynchronous, this is not). */
  previous: number;

  constructor(props: CountdownProps) {
    super(props);
    this.state = { left: this.secondsLeft() };
    this.previous = this.state.left;
  }

  secondsLeft() {
    const now = this.props.now ?? Date.now;
    return Math.max(0, Math.ceil((this.props.expiresAt - now()) / 1000));
  }

  tick = () => {
    const { texts, announce, onExpire } = this.props;
    const left = this.secondsLeft();
    const moment = crossedAnnouncement(this.previous, left);
    this.previous = left;
    this.setState({ left });
    if (moment)
      announce(moment >= 60 ? texts.minutesLeft(Math.round(moment / 60)) : texts.secondsLeft(moment));
    if (left === 0 && !this.done) {
      this.done = true;
      clearInterval(this.timer);
      onExpire();
    }
  };

  override componentDidMount() {
    this.timer = setInterval(this.tick, 1000);
    this.tick();
  }

  override componentWillUnmount() {
    clearInterval(this.timer);
  }

  render({ texts }: CountdownProps, { left }: { left: number }) {
    return (
      <p class="countdown muted" role="timer" aria-live="off">
        {texts.remaining(formatClock(left))}
      </p>
    );
  }
}
