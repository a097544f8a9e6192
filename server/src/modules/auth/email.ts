/** Longest email accepted anywhere (RFC 5321's path limit); longer input is refused before any work. */
export const MAX_EMAIL_LENGTH = 254;
/** Longest password accepted; longer input is refused before it is hashed. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * The one form in which emails are stored and compared: trimmed, lower-cased, then Unicode NFC,
 * so a composed `é` and `e` + combining accent are the same address. No other folding: `ö` is
 * not `o`, and the database compares the result byte for byte.
 */
export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase().normalize('NFC');
}
