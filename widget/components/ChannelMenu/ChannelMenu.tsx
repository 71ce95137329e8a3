import { Component, type ComponentChildren } from 'preact';
import type { ChannelCode } from '../../channels.ts';
import { channelLabel, type Messages } from '../../i18n.ts';
import { ChannelIcon } from '../icons.tsx';

export interface ChannelMenuProps {
  channels: readonly ChannelCode[];
  /** "x.xx" yuan. */
  amount: string;
  messages: Messages;
  onConfirm(channel: ChannelCode): void;
  /** Rows after the channels (the 优惠券 row, from the lazy chunk). */
  extra?: ComponentChildren;
  /** After the total, e.g. "(已优惠¥5.00)". */
  note?: string;
}

/**
 * Reference §3's menu: one row per channel (a native radio group, so arrow keys move the choice), the total
 * "合计：¥x.xx" and "确认". The first channel is chosen at the start.
 */
export class ChannelMenu extends Component<ChannelMenuProps, { chosen?: ChannelCode }> {
  override state = { chosen: this.props.channels[0] };

  submit = (event: Event) => {
    event.preventDefault();
    if (this.state.chosen) this.props.onConfirm(this.state.chosen);
  };

  render(
    { channels, amount, messages, extra, note }: ChannelMenuProps,
    { chosen }: { chosen?: ChannelCode },
  ) {
    return (
      <form class="menu-form" onSubmit={this.submit}>
        <div class="body">
          <fieldset class="channels">
            <legend class="visually-hidden">{messages.channels}</legend>
            {channels.map((code) => (
              <label class="row" key={code}>
                <input
                  type="radio"
                  name="bc-channel"
                  value={code}
                  checked={chosen === code}
                  data-autofocus={chosen === code ? '' : undefined}
                  onChange={() => this.setState({ chosen: code })}
                />
                <span class="row-body">
                  <ChannelIcon code={code} />
                  <span class="row-label">{channelLabel(messages, code)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {extra}
        </div>
        <div class="footer">
          <span class="total">
            {messages.total(amount)}
            {note && <span class="saved"> {note}</span>}
          </span>
          <button type="submit" class="primary" disabled={!chosen}>
            {messages.confirm}
          </button>
        </div>
      </form>
    );
  }
}
