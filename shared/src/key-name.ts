import { LIMITS } from './limits';

// C0 controls, DEL and C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

export type NameCheck = { ok: true; value: string } | { ok: false; reason: string };

/** Trims a key or space name and checks it: 1..max characters, no control characters. */
export function checkName(raw: string, max: number = LIMITS.keyNameMaxLength): NameCheck {
  const value = raw.trim();
  if (value.length === 0) return { ok: false, reason: 'Name must not be empty.' };
  if ([...value].length > max) return { ok: false, reason: `Name must be at most ${max} characters.` };
  if (CONTROL_CHARACTERS.test(value)) return { ok: false, reason: 'Name must not contain control characters.' };
  return { ok: true, value };
}
