import { EventEmitter } from 'node:events';

/**
 * What makes a cached verification stale: a removed key, a deleted space, or a changed
 * subscription. Emitted after the change is committed; the verification cache listens,
 * and forwards it to other nodes when Redis is configured.
 */
export type KeyInvalidation =
  | { kind: 'key'; keyHash: string }
  | { kind: 'space'; spaceId: string }
  | { kind: 'organization'; organizationId: string };

export class KeyEvents {
  private readonly emitter = new EventEmitter();

  invalidate(event: KeyInvalidation): void {
    this.emitter.emit('invalidate', event);
  }

  onInvalidate(listener: (event: KeyInvalidation) => void): () => void {
    this.emitter.on('invalidate', listener);
    return () => this.emitter.off('invalidate', listener);
  }
}
