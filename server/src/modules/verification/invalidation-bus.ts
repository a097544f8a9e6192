import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { describeError } from '../../lib/logger';
import type { KeyEvents, KeyInvalidation } from '../../core/events';
import type { Logger } from '../../lib/logger';

interface Message {
  node: string;
  event: KeyInvalidation;
}

function parse(raw: string): Message | undefined {
  try {
    const message = JSON.parse(raw) as Message;
    const event = message?.event;
    if (typeof message.node !== 'string' || !event) return undefined;
    if (event.kind === 'key' && typeof event.keyHash === 'string') return message;
    if (event.kind === 'apiKey' && typeof event.keyId === 'string') return message;
    if (event.kind === 'space' && typeof event.spaceId === 'string') return message;
    if (event.kind === 'organization' && typeof event.organizationId === 'string') return message;
  } catch {
    // fall through
  }
  return undefined;
}

/**
 * Carries invalidations: local KeyEvents go to the local handler at once (synchronously) and,
 * when Redis is configured, to every other node through one pub/sub channel. While the
 * subscription is down, `connected` is false (the cache then stops trusting itself); when it
 * comes back, `onResync` runs because messages may have been missed meanwhile.
 */
export class InvalidationBus {
  readonly node = randomUUID();
  private subscribed = false;
  private closed = false;
  private readonly unsubscribeLocal: () => void;

  constructor(
    events: KeyEvents,
    private readonly handle: (event: KeyInvalidation) => void,
    private readonly logger: Logger,
    private readonly redis?: { commands: Redis; subscriber: Redis; channel: string; onResync: () => void },
  ) {
    this.unsubscribeLocal = events.onInvalidate((event) => {
      this.handle(event);
      this.publish(event);
    });
    if (!redis) return;
    const { subscriber, channel } = redis;
    subscriber.on('message', (from: string, raw: string) => {
      if (from !== channel) return;
      const message = parse(raw);
      if (!message) {
        this.logger.warn({ channel }, 'ignored a malformed invalidation message');
        return;
      }
      if (message.node !== this.node) this.handle(message.event);
    });
    subscriber.on('ready', () => void this.subscribe());
    for (const lost of ['close', 'end', 'reconnecting']) {
      subscriber.on(lost, () => {
        this.subscribed = false;
      });
    }
  }

  /** True when no Redis is configured (one node) or the subscription is live. */
  get connected(): boolean {
    return !this.redis || this.subscribed;
  }

  private async subscribe(): Promise<void> {
    if (!this.redis || this.closed) return;
    try {
      await this.redis.subscriber.subscribe(this.redis.channel);
      this.redis.onResync();
      this.subscribed = true;
    } catch (error) {
      if (!this.closed) this.logger.warn(describeError(error), 'could not subscribe to key invalidations');
    }
  }

  private publish(event: KeyInvalidation): void {
    if (!this.redis) return;
    const message: Message = { node: this.node, event };
    this.redis.commands.publish(this.redis.channel, JSON.stringify(message)).catch((error: unknown) => {
      this.logger.error(
        { ...describeError(error), kind: event.kind },
        'could not publish a key invalidation; other nodes keep their cached facts until VERIFY_CACHE_TTL_MS',
      );
    });
  }

  close(): void {
    this.closed = true;
    this.unsubscribeLocal();
    this.subscribed = false;
  }
}
