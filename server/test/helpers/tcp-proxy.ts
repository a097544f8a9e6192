import net from 'node:net';

/**
 * A TCP proxy the test controls, between the server and a dependency (MariaDB):
 * - `cut()`: every open connection is reset and new ones are refused (as when the database
 *   process dies or a firewall rejects), until `restore()`;
 * - `setLatency(ms)`: every chunk, in both directions, is delivered `ms` later (a slow network or
 *   an overloaded database), in order.
 */
export interface TcpProxy {
  /** The port the server should connect to (127.0.0.1). */
  port: number;
  /** Connections accepted since start (refused ones not counted). */
  readonly accepted: number;
  /** Connections open now. */
  readonly open: number;
  cut(): void;
  restore(): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let cut = false;
  let latencyMs = 0;
  let accepted = 0;
  /** Chunks held back by the latency, not yet delivered: dropped with their connections. */
  const held = new Set<NodeJS.Timeout>();
  const dropHeld = () => {
    for (const timer of held) clearTimeout(timer);
    held.clear();
  };

  /** Forwards `from` to `to`, each chunk after the latency in force when it arrived, in order. */
  const pipe = (from: net.Socket, to: net.Socket) => {
    let last = 0;
    from.on('data', (chunk: Buffer) => {
      if (latencyMs === 0) {
        if (!to.destroyed) to.write(chunk);
        return;
      }
      // Never before an earlier chunk: a TCP stream keeps its order.
      const due = Math.max(Date.now() + latencyMs, last);
      last = due;
      const timer = setTimeout(() => {
        held.delete(timer);
        if (!to.destroyed) to.write(chunk);
      }, due - Date.now());
      held.add(timer);
    });
  };

  const server = net.createServer((client) => {
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    port,
    get accepted() {
      return accepted;
    },
    get open() {
      return pairs.size;
    },
    cut() {
      cut = true;
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
      dropHeld();
    },
    restore() {
      cut = false;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    async close() {
      cut = true;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
      dropHeld();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
