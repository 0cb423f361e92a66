/** Nunjucks filters for the staff pages. */
import { londonDateOf } from '../calendar';

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An ISO instant as London date and time in words ("27 March 2027 at 10:00"); a date alone as the date. */
export function londonDateTimeText(value: unknown, type?: string): string {
  if (typeof value !== 'string' || !value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) || type === 'date') {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : londonDateOf(Date.parse(value));
    const [y, m, d] = day.split('-').map(Number);
    return new Date(Date.UTC(y!, m! - 1, d!)).toLocaleDateString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
  }
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) return value;
  return LONDON.format(instant).replace(', ', ' at ');
}
