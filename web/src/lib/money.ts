/** Amounts are stored in micro-USD (1 USD = 1 000 000); people read and type dollars. */
export const MICROS_PER_USD = 1_000_000;

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdSmall = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** "$12.50"; amounts under a dollar keep up to six decimals ("$0.0042") so small spend is not shown as $0.00. */
export function formatUsd(micros: number): string {
  const dollars = micros / MICROS_PER_USD;
  return Math.abs(dollars) < 1 && dollars !== 0 ? usdSmall.format(dollars) : usd.format(dollars);
}

/** Dollars as typed ("12", "12.5", "0.000001") to whole micro-USD; null when it is not such an amount. */
export function parseUsdToMicros(text: string): number | null {
  const value = text.trim().replace(/^\$/, '').replace(/,/g, '');
  const match = /^(\d{1,10})(?:\.(\d{0,6}))?$/.exec(value);
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(6, '0'));
  return whole * MICROS_PER_USD + fraction;
}

/** Micro-USD as an editable dollar amount without trailing zeros ("12.5"). */
export function microsToUsdText(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_USD);
  const fraction = String(micros % MICROS_PER_USD).padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/** A dollar amount as a plain CSV number ("12.345678"). */
export function microsToUsdDecimal(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  return `${sign}${Math.floor(abs / MICROS_PER_USD)}.${String(abs % MICROS_PER_USD).padStart(6, '0')}`;
}
