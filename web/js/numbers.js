// Numbers as Swedish people write them: kronor and hours with a decimal comma, kept as
// whole hundredths (öre, hundredths of an hour) on the wire, as the API counts them.

/** Kronor (or hours) as people write them, `1 234,50`, in hundredths; the text itself when
 * it is no such number, so that the server names the field. */
export function hundredths(text, decimals = 2) {
  const s = String(text).replace(/[\s\u00a0]/g, '').replace(',', '.');
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m || (m[2] || '').length > decimals) return s;
  return Number(m[1]) * 10 ** decimals + Number((m[2] || '').padEnd(decimals, '0'));
}

/** Hundredths as Swedish text: `123456` → `1 234,56`. */
export function kronor(value, decimals = 2) {
  const n = Number(value) / 10 ** decimals;
  return n.toLocaleString('sv-SE', { minimumFractionDigits: 2, maximumFractionDigits: decimals });
}

