import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './server-process';

/** True when a `redis-server` binary is on PATH. */
export const hasRedisServer = (): boolean => spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * A private `redis-server` on a free port, without persistence, that the test stops and starts
 * again on the same port (the server under test keeps one REDIS_URL).
 */
export interface RedisProcess {
  port: number;
  url: string;
  readonly running: boolean;
  /** Starts it (again) and resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL, as a crash or an out-of-memory kill would; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGTERM and wait, for the end of the test. */
  stop(): Promise<void>;
}

async function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const halt = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
    child = undefined;
  };

  const redis: RedisProcess = {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    async start() {
      if (redis.running) return;
      const output: string[] = [];
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.stdout?.on('data', (chunk) => output.push(String(chunk)));
      started.stderr?.on('data', (chunk) => output.push(String(chunk)));
      exited = new Promise((resolve) => started.once('exit', () => resolve()));
      child = started;
      const deadline = Date.now() + 10_000;
      while (!(await ping(port))) {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}:\n${output.join('')}`);
        if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${port} in 10 s:\n${output.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    kill: () => halt('SIGKILL'),
    stop: () => halt('SIGTERM'),
  };
  await redis.start();
  return redis;
}
