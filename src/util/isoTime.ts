// Reading the timestamps APIs send by the thousand: `2026-11-30T15:48:52.410Z`. Date.parse is
// general (any offset, many layouts) and costs more than the rest of mapping a node; this reads
// that one layout from its digits and hands every other text to Date.parse, so results are the same.

const zero = 48;

/** Epoch ms of an ISO-8601 text as Date.parse reads it (NaN when it cannot). */
export function parseIsoTime(text: string): number {
  // `YYYY-MM-DDTHH:MM:SSZ` (20) or `YYYY-MM-DDTHH:MM:SS.sssZ` (24); anything else is Date.parse's.
  const length = text.length;
  if ((length !== 20 && length !== 24) || text.charCodeAt(length - 1) !== 90 /* Z */) return Date.parse(text);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return Date.parse(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  let millisecond = 0;
  if (length === 24) {
    if (text.charCodeAt(19) !== 46 /* . */) return Date.parse(text);
    millisecond = digits(text, 20, 3);
  }
  // Out of range: Date.parse refuses some and rolls others over.
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 || millisecond < 0) return Date.parse(text);
  // Counting days from the 1st of the month rolls a 30 February over to March, as Date.parse does.
  const days = monthStart(year, month) + day - 1;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millisecond;
}

// The times of one answer nearly all fall in the same month: the day count of its 1st is kept,
// as counting it (five divisions) was a fifth of reading a time.
let lastYear = -1;
let lastMonth = -1;
let lastMonthStart = 0;

function monthStart(year: number, month: number): number {
  if (year !== lastYear || month !== lastMonth) {
    lastMonthStart = daysBeforeMonth(year, month);
    lastYear = year;
    lastMonth = month;
  }
  return lastMonthStart;
}

/** Days from 1970-01-01 to the 1st of `month` of `year` (proleptic Gregorian; H. Hinnant's days_from_civil). */
function daysBeforeMonth(year: number, month: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5);
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number `count` decimal digits spell from `from`, or -1 if one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - zero;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
