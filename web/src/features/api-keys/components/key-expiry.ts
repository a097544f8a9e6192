/** Expiry choices of the New API Key dialog and the rules the server applies to them. */
import { LIMITS } from '@pulze/shared';

const DAY = 86_400_000;

/** The server refuses an expiry sooner than this ahead… */
export const MIN_EXPIRY_AHEAD_MS = LIMITS.keyLifetimeMinSeconds * 1000;
/** …or later than this many days (two years). */
export const MAX_EXPIRY_DAYS = LIMITS.keyLifetimeMaxDays;
/** A key expiring within this many days is marked in the table and the details. */
export const EXPIRING_SOON_DAYS = LIMITS.keyExpiringSoonDays;

export const PRESET_DAYS = [30, 90, 365] as const;

export type ExpiryChoice = 'none' | `${number}` | 'custom';

export interface ExpiryOption {
  value: ExpiryChoice;
  label: string;
  disabled?: boolean;
}

/**
 * The choices for an organization whose keys may live at most `maxDays` days (null: no limit).
 * Presets longer than the limit are left out; when the limit is not itself a preset it is offered
 * as "Maximum allowed". "No expiry" exists only without a limit.
 */
export function expiryOptions(maxDays: number | null): ExpiryOption[] {
  const limit = maxDays === null ? MAX_EXPIRY_DAYS : Math.min(maxDays, MAX_EXPIRY_DAYS);
  const options: ExpiryOption[] = [];
  if (maxDays === null) options.push({ value: 'none', label: 'No expiry' });
  for (const days of PRESET_DAYS) if (days <= limit) options.push({ value: `${days}`, label: `${days} days` });
  if (maxDays !== null && !PRESET_DAYS.includes(limit as (typeof PRESET_DAYS)[number])) {
    options.push({ value: `${limit}`, label: `${limit} ${limit === 1 ? 'day' : 'days'} (maximum allowed)` });
  }
  options.push({ value: 'custom', label: 'Custom date' });
  return options;
}

/** The choice a new dialog starts with: no expiry, or the longest the organization allows. */
export function defaultExpiry(maxDays: number | null): ExpiryChoice {
  if (maxDays === null) return 'none';
  const options = expiryOptions(maxDays).filter((o) => o.value !== 'custom');
  return options[options.length - 1]?.value ?? 'custom';
}

/** `YYYY-MM-DD` of a date in the browser's time zone (the value of `<input type="date">`). */
export function toDateInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The latest moment a key may expire: the organization's limit, or two years. */
export function latestExpiry(maxDays: number | null, now = Date.now()): Date {
  const days = maxDays === null ? MAX_EXPIRY_DAYS : Math.min(maxDays, MAX_EXPIRY_DAYS);
  return new Date(now + days * DAY);
}

/** The date a custom expiry starts at: 30 days ahead, or the latest allowed day if sooner. */
export function suggestedCustomDate(maxDays: number | null, now = Date.now()): string {
  const suggested = toDateInput(new Date(now + 30 * DAY));
  const { max } = customDateBounds(maxDays, now);
  return suggested > max ? max : suggested;
}

/** The first and last day the custom date input accepts. */
export function customDateBounds(maxDays: number | null, now = Date.now()): { min: string; max: string } {
  const earliest = new Date(now + MIN_EXPIRY_AHEAD_MS);
  return { min: toDateInput(earliest), max: toDateInput(latestExpiry(maxDays, now)) };
}

export type ResolvedExpiry = { ok: true; expiresAt: string | null } | { ok: false; reason: string };

/**
 * The `expiresAt` to send for a choice. A preset counts from now; a custom date means the end of
 * that day in the browser's time zone, brought back to the latest allowed moment if it is later.
 */
export function resolveExpiry(choice: ExpiryChoice, customDate: string, maxDays: number | null, now = Date.now()): ResolvedExpiry {
  if (choice === 'none') {
    return maxDays === null ? { ok: true, expiresAt: null } : { ok: false, reason: `Keys of this organization must expire within ${maxDays} days.` };
  }
  if (choice !== 'custom') return { ok: true, expiresAt: new Date(now + Number(choice) * DAY).toISOString() };
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(customDate);
  if (!match) return { ok: false, reason: 'Choose the date the key expires.' };
  const endOfDay = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 23, 59, 0, 0);
  if (Number.isNaN(endOfDay.getTime())) return { ok: false, reason: 'Choose the date the key expires.' };
  if (endOfDay.getTime() < now + MIN_EXPIRY_AHEAD_MS) return { ok: false, reason: 'Choose a date at least one hour from now.' };
  const latest = latestExpiry(maxDays, now);
  if (toDateInput(endOfDay) > toDateInput(latest)) {
    return {
      ok: false,
      reason:
        maxDays === null
          ? 'Choose a date within two years.'
          : `Keys of this organization must expire within ${maxDays} ${maxDays === 1 ? 'day' : 'days'}.`,
    };
  }
  const at = Math.min(endOfDay.getTime(), latest.getTime());
  return { ok: true, expiresAt: new Date(at).toISOString() };
}

/** Whether a key with this expiry should carry the "expires soon" mark. */
export function expiresSoon(expiresAt: string | null | undefined, now = Date.now()): boolean {
  if (!expiresAt) return false;
  const at = new Date(expiresAt).getTime();
  return at > now && at - now <= EXPIRING_SOON_DAYS * DAY;
}
