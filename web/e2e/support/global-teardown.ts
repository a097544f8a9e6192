import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { readState } from './state';

export default async function globalTeardown(): Promise<void> {
  const processes = (globalThis as { __E2E_PROCESSES__?: ChildProcess[] }).__E2E_PROCESSES__ ?? [];
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null) return done();
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            done();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  try {
    rmSync(readState().dataDir, { recursive: true, force: true });
  } catch {
    /* nothing to clean */
  }
}
