export { Countdown, type CountdownProps } from './Countdown.tsx';
export { crossedAnnouncement, formatClock, isAnnouncementMoment } from './announcements.ts';
