const KEY = 'pulze.lastOrganization';

export function rememberOrganization(id: string): void {
  try {
    window.localStorage.setItem(KEY, id);
  } catch {
    /* storage may be unavailable */
  }
}

export function lastOrganization(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
