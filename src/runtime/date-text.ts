/** `yyyy-MM-dd`, optionally with ` HH:mm[:ss]`: the shape of an ISO date, whether or not the day exists. */
const isoShape = /^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*$/;

/** Whether a text is written as an ISO date (`2026-02-30` is, though February has no 30th). */
export function looksLikeIsoDate(written: string): boolean {
  return isoShape.test(written);
}

/** Why a text is not an ISO date: not the yyyy-MM-dd shape, or a month, day or time that does not exist. */
export function isoDateProblem(written: string): string {
  const shape = isoShape.exec(written);
  if (!shape) return "I read dates written as yyyy-MM-dd";
  const [, , month, , hours, minutes, seconds] = shape;
  if (Number(month) < 1 || Number(month) > 12) return `there is no month ${Number(month)}`;
  if (hours !== undefined && (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds ?? 0) > 59)) return "there is no such time of day";
  return "there is no such day in that month";
}
