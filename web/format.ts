/**
 * Numbers for people, without Intl: the first `toLocaleString` on a page loads ICU's number formatting on the page
 * thread, a task of over 100 ms on a loaded 2-core machine, right when a result is shown.
 */

/** An integer with its digits grouped in threes by commas, as en-US writes it: 1234567 → "1,234,567". */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
