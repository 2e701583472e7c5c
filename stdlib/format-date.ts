import type { DateValue } from "../src/runtime/values.js";

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * Date patterns as people write them: yyyy, yy, MMMM (January), MMM (Jan), MM, M, dd, d,
 * EEEE (Monday), EEE (Mon), HH, mm, ss. Text in single quotes is copied as it is.
 */
export function formatDate(value: DateValue, pattern: string): string {
  const [year, month, day] = value.date.split("-").map(Number);
  const [hours, minutes, seconds] = (value.time ?? "00:00:00").split(":");
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const fields: Record<string, string> = {
    yyyy: String(year).padStart(4, "0"),
    yy: String(year % 100).padStart(2, "0"),
    MMMM: monthNames[month - 1],
    MMM: monthNames[month - 1].slice(0, 3),
    MM: String(month).padStart(2, "0"),
    M: String(month),
    dd: String(day).padStart(2, "0"),
    d: String(day),
    EEEE: dayNames[weekday],
    EEE: dayNames[weekday].slice(0, 3),
    HH: hours,
    mm: minutes,
    ss: seconds,
  };
  return pattern.replace(/'([^']*)'|yyyy|yy|MMMM|MMM|MM|M|dd|d|EEEE|EEE|HH|mm|ss/g, (token, quoted: string | undefined) =>
    quoted !== undefined ? quoted : fields[token],
  );
}
