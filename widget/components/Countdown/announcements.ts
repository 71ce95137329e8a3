/**
 * When the screen reader hears how long the QR code stays valid (Adyen's rhythm): every 3 minutes, every
 * minute under 5 minutes, every 30 seconds under 1 minute.
 */
export function isAnnouncementMoment(secondsLeft: number): boolean {
  if (secondsLeft <= 0) return false;
  if (secondsLeft > 300) return secondsLeft % 180 === 0;
  if (secondsLeft > 60) return secondsLeft % 60 === 0;
  return secondsLeft % 30 === 0;
}

/** The announcement moment crossed between two ticks (ticks may skip seconds in a throttled tab), if any. */
export function crossedAnnouncement(previousSecondsLeft: number, secondsLeft: number): number | undefined {
  const from = Math.max(secondsLeft, 1);
  for (let moment = Math.min(previousSecondsLeft - 1, from + 600); moment >= from; moment--) {
    if (isAnnouncementMoment(moment)) return moment;
  }
  return undefined;
}

export function formatClock(secondsLeft: number): string {
  const seconds = Math.max(0, secondsLeft);
  const minutes = Math.floor(seconds / 60);
  return `${String(minutes).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
}
