/**
 * The channels of the payer's menu: a switch per channel, reordered by drag and drop or by keyboard (Alt+↑/↓ on
 * a row, or its move buttons); every move is announced to screen readers.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ButtonChannel } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelName } from '../../i18n/names.ts';
import { moveItem, toggleChannel } from './channel-order.ts';

export function ChannelList(props: { channels: ButtonChannel[]; onChange(channels: ButtonChannel[]): void }) {
  const { t } = useI18n();
  const [dragging, setDragging] = useState<number>();
  const [announcement, setAnnouncement] = useState('');
  const [focusCode, setFocusCode] = useState<string>();
  const list = useRef<HTMLOListElement>(null);
  const { channels } = props;

  const move = (from: number, to: number, focus: boolean) => {
    const next = moveItem(channels, from, to);
    if (next.every((channel, index) => channel === channels[index])) return;
    props.onChange(next);
    const position = next.indexOf(channels[from]) + 1;
    setAnnouncement(
      t('button.moved', { channel: channelName(t, channels[from].code), position, count: next.length }),
    );
    if (focus) setFocusCode(channels[from].code);
  };

  // A channel moved by keyboard keeps the focus in its new place (moving its row in the DOM drops it), so the next
  // Alt+arrow moves it again.
  useEffect(() => {
    if (focusCode === undefined) return;
    const rows = [...(list.current?.querySelectorAll<HTMLElement>('li') ?? [])];
    rows.find((row) => row.dataset.code === focusCode)?.focus();
    setFocusCode(undefined);
  }, [channels, focusCode]);

  return (
    <>
      <p id="channel-help">{t('button.channelsHelp')}</p>
      <ol class="channel-list" ref={list} aria-describedby="channel-help">
        {channels.map((channel, index) => (
          <li
            key={channel.code}
            tabIndex={0}
            draggable
            data-code={channel.code}
            class={dragging === index ? 'channel dragging' : 'channel'}
            aria-label={`${index + 1}. ${channelName(t, channel.code)}`}
            onKeyDown={(event) => {
              if (event.target !== event.currentTarget || !event.altKey) return;
              if (event.key === 'ArrowUp') {
                event.preventDefault();
                move(index, index - 1, true);
              } else if (event.key === 'ArrowDown') {
                event.preventDefault();
                move(index, index + 1, true);
              }
            }}
            onDragStart={(event) => {
              setDragging(index);
              event.dataTransfer?.setData('text/plain', channel.code);
              if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
            }}
            onDragOver={(event) => {
              event.preventDefault();
              if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
            }}
            onDrop={(event) => {
              event.preventDefault();
              const code = event.dataTransfer?.getData('text/plain');
              const from = code ? channels.findIndex((candidate) => candidate.code === code) : dragging;
              if (from !== undefined && from >= 0) move(from, index, false);
              setDragging(undefined);
            }}
            onDragEnd={() => setDragging(undefined)}
          >
            <span class="grip" aria-hidden="true">
              ⠿
            </span>
            <label class="switch">
              <input
                type="checkbox"
                role="switch"
                checked={channel.enabled}
                onChange={(event) =>
                  props.onChange(toggleChannel(channels, channel.code, event.currentTarget.checked))
                }
              />
              <span class="visually-hidden">
                {t('button.enable', { channel: channelName(t, channel.code) })}
              </span>
            </label>
            <span class="channel-label">
              {channelName(t, channel.code)} <code>{channel.code}</code>
            </span>
            <span class="move">
              <button
                type="button"
                aria-label={t('button.moveUp', { channel: channelName(t, channel.code) })}
                disabled={index === 0}
                onClick={() => move(index, index - 1, false)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={t('button.moveDown', { channel: channelName(t, channel.code) })}
                disabled={index === channels.length - 1}
                onClick={() => move(index, index + 1, false)}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ol>
      <p class="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
