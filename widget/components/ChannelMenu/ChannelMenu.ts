import type { ChannelCode } from '../../channels.ts';
import { channelLabel, type Messages } from '../../i18n.ts';
import { el } from '../../ui/dom.ts';
import { channelIcon } from '../icons.ts';

export interface ChannelMenuProps {
  channels: readonly ChannelCode[];
  /** "x.xx" yuan. */
  amount: string;
  messages: Messages;
  onConfirm(channel: ChannelCode): void;
}

export interface ChannelMenu {
  form: HTMLFormElement;
  /** Where rows after the channels go (the 优惠券 row, drawn by the lazy chunk). */
  extra: HTMLElement;
  /** Shows the total "x.xx" yuan, with `note` after it, e.g. "(已优惠¥5.00)". */
  total(amount: string, note?: string): void;
}

/**
 * Reference §3's menu, in plain DOM (the first script shows it at once, without Preact): one row per channel (a
 * native radio group, so arrow keys move the choice), the total "合计：¥x.xx" and "确认". The first channel is
 * chosen at the start.
 */
export function channelMenu({ channels, amount, messages, onConfirm }: ChannelMenuProps): ChannelMenu {
  const extra = el('div');
  const total = el('span', { class: 'total' });
  const form = el(
    'form',
    {
      class: 'menu-form',
      onsubmit(event: Event) {
        event.preventDefault();
        const chosen = form.querySelector<HTMLInputElement>('[name=bc-channel]:checked');
        if (chosen) onConfirm(chosen.value as ChannelCode);
      },
    },
    el(
      'div',
      { class: 'body' },
      el(
        'fieldset',
        { class: 'channels' },
        el('legend', { class: 'visually-hidden' }, messages.channels),
        ...channels.map((code, index) =>
          el(
            'label',
            { class: 'row' },
            el('input', {
              type: 'radio',
              name: 'bc-channel',
              value: code,
              checked: !index,
              'data-autofocus': !index,
            }),
            el(
              'span',
              { class: 'row-body' },
              channelIcon(code),
              el('span', { class: 'row-label' }, channelLabel(messages, code)),
            ),
          ),
        ),
      ),
      extra,
    ),
    el(
      'div',
      { class: 'footer' },
      total,
      el('button', { type: 'submit', class: 'primary', disabled: !channels.length }, messages.confirm),
    ),
  );
  const menu: ChannelMenu = {
    form,
    extra,
    total(amount, note) {
      total.replaceChildren(messages.total(amount), note ? el('span', { class: 'saved' }, ` ${note}`) : '');
    },
  };
  menu.total(amount);
  return menu;
}
