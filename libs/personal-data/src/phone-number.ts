// One spelling per phone number, so that the blind index of "+86 138-0013-8000" and of "13800138000" is the same.
//
// The rules (README "Personal data"):
// - NFKC first: full-width digits and plus signs (１３８…, ＋８６), as a Chinese input method types them, become ASCII.
// - Only the digits count; spaces, dashes, dots, parentheses, slashes and any other character are dropped
//   ("0755-8888 8888转123" → "075588888888123": an extension's digits stay).
// - A leading "+" or "00" marks an international number. China's own code (+86, 0086) equals none: the number is
//   kept in its domestic form — a mobile (1…) as it is, any other number with the trunk prefix 0 in front
//   ("+86 755 8888 8888" = "0755 8888 8888"). A bare "86" before an 11-digit mobile ("8613800138000") is +86 too
//   (no domestic number has 13 digits starting 861).
// - Any other country code is kept, with its "+": "+852 9123 4567" is not "9123 4567".
// - A text without a digit is no phone number (null): it gets no blind index, so erasure by phone cannot reach it.

/** The canonical spelling of `raw`, or null when it holds no digit. */
export function normalisePhone(raw: string): string | null {
  const text = raw.normalize('NFKC').trim();
  let digits = text.replace(/[^0-9]/g, '');
  if (digits.length === 0) return null;
  let international = text.startsWith('+');
  if (!international && digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  }
  if (international) {
    if (!digits.startsWith('86')) return `+${digits}`;
    const national = digits.slice(2);
    if (national.length === 0) return '+86';
    return national.startsWith('1') || national.startsWith('0') ? national : `0${national}`;
  }
  if (/^861[3-9][0-9]{9}$/.test(digits)) return digits.slice(2);
  return digits;
}
