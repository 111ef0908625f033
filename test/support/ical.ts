/** Reads `.ics` text with a maintained iCalendar parser (ical.js), as a calendar application would. */
import ICAL from 'ical.js';

export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  /** `YYYY-MM-DD` of an all-day start. */
  start: string;
  allDay: boolean;
  end: string;
  sequence: number;
  /** Seconds relative to the start (negative: before). */
  alarms: number[];
}

export function parseIcs(text: string): { name: string; timeZone: string; events: ParsedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((event): ParsedEvent => {
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    const end = event.getFirstPropertyValue('dtend') as ICAL.Time;
    return {
      uid: String(event.getFirstPropertyValue('uid')),
      summary: String(event.getFirstPropertyValue('summary')),
      description: String(event.getFirstPropertyValue('description')),
      start: start.toString(),
      allDay: start.isDate,
      end: end.toString(),
      sequence: Number(event.getFirstPropertyValue('sequence')),
      alarms: event.getAllSubcomponents('valarm').map((alarm) => (alarm.getFirstPropertyValue('trigger') as ICAL.Duration).toSeconds()),
    };
  });
  return {
    name: String(calendar.getFirstPropertyValue('x-wr-calname')),
    timeZone: String(calendar.getFirstPropertyValue('x-wr-timezone')),
    events,
  };
}
