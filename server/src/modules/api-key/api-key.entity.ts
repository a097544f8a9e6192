import { Column, Entity, Index, JoinColumn, ManyToOne, VirtualColumn } from 'typeorm';
import { Organization } from '../organization/organization.entity';
import { Space } from '../space/space.entity';
import { User } from '../user/user.entity';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';
import type { BudgetPeriod } from '../spend/budget.model';
import { bigintColumn, modelColumn } from '../spend/model-allowlist';
import { cidrColumn } from './allowed-cidrs';

@ObjectType({ description: 'An API key of a space: its name, masked preview and state. The secret itself is shown once, on create or roll, and never stored.' })
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('api_keys')
// The key list: one organization (or one space), keys not removed, newest first. spaceId ends
// the organization's index so a page of ids is read from the index alone (api-key.repository.ts).
@Index('IDX_api_keys_org_list', ['organizationId', 'removedAt', 'createdAt', 'id', 'spaceId'])
@Index('IDX_api_keys_space_list', ['spaceId', 'removedAt', 'createdAt', 'id'])
// The expiry sweep: live keys whose expiry has no audit event yet, soonest first (key-expiry.ts).
@Index('IDX_api_keys_expiry_sweep', ['expiryRecordedAt', 'removedAt', 'expiresAt'])
export class ApiKey {
  @Field(() => ID, { description: "The key's id (not secret); verification answers it as keyId." })
  @IdColumn()
  id: string;

  @Field({ description: "The key's name, 1..100 characters." })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Lower-cased name for case-insensitive search, the same on every driver. */
  @Column({ type: 'varchar', length: 200 })
  searchName: string;

  @RefColumn()
  organizationId: string;

  @RefColumn()
  spaceId: string;

  @RefColumn()
  ownerId: string;

  /** Hex SHA-256 of the whole key; the key itself is never stored. */
  @Index('UQ_api_keys_hash', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyHash: string;

  /**
   * Hex SHA-256 of the secret a roll replaced, kept while it may still be in its grace period (and
   * after, so it answers REVOKED rather than NOT_FOUND); verification finds a key by either hash.
   */
  @Index('UQ_api_keys_previous_hash', { unique: true })
  @Column({ type: 'varchar', length: 64, nullable: true })
  previousKeyHash: string | null;

  /** When the previous secret stops working. */
  @TimestampColumn({ nullable: true })
  previousKeyExpiresAt: Date | null;

  @Field({ description: 'The masked preview of the current secret: pk_... and its last 5 characters.' })
  @Column({ type: 'varchar', length: 20 })
  maskedKey: string;

  @Field({ description: 'When the key was created.' })
  @TimestampColumn()
  createdAt: Date;

  /**
   * The last use recorded on the key's own row, which verification wrote before the daily usage
   * rows carried it; no longer written. See `lastUsedAt`.
   */
  @TimestampColumn({ nullable: true, name: 'lastUsedAt' })
  lastUsedAtOnRow: Date | null;

  /**
   * The latest use in the key's newest daily usage row, read with the key in the same statement
   * (a seek of that table's primary key). A use writes only the daily row, which it writes anyway.
   */
  @VirtualColumn({
    type: 'datetime',
    query: (alias) => `(SELECT u.lastUsedAt FROM api_key_usage_daily u WHERE u.apiKeyId = ${alias}.id ORDER BY u.day DESC LIMIT 1)`,
  })
  lastUsedAtOfDay: Date | null;

  @Field(() => Date, { nullable: true, description: 'When a verification last accepted the key (written within seconds); null if never.' })
  get lastUsedAt(): Date | null {
    const [row, day] = [this.lastUsedAtOnRow ?? null, this.lastUsedAtOfDay ?? null];
    if (!row || !day) return day ?? row;
    return day > row ? day : row;
  }

  @Field(() => Date, { nullable: true, description: 'When the key stops working (EXPIRED); null for never.' })
  @TimestampColumn({ nullable: true })
  expiresAt: Date | null;

  /**
   * When the expiry sweep recorded that `expiresAt` passed (the EXPIRED audit event, written in the
   * same transaction); null until then. A roll gives a fresh lifetime and clears it.
   */
  @TimestampColumn({ nullable: true })
  expiryRecordedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the key was paused (disableApiKey); null while enabled.' })
  @TimestampColumn({ nullable: true })
  disabledAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the current secret was issued by rollApiKey; null if never rolled.' })
  @TimestampColumn({ nullable: true })
  rolledAt: Date | null;

  /** Canonical CIDR ranges the key may be used from; empty allows any address. */
  @Field(() => [String], {
    description: 'IPv4/IPv6 CIDR ranges the key may be used from (at most 50); empty allows any address.',
  })
  @Column({ type: 'text', nullable: true, transformer: cidrColumn })
  allowedCidrs: string[];

  /** Models the key may be used for: exact ids or prefixes such as `openai/*`; empty allows any model. */
  @Field(() => [String], {
    description: 'Models the key may be used for (at most 50): exact ids, or prefixes such as openai/*; empty allows any model.',
  })
  @Column({ type: 'text', nullable: true, transformer: modelColumn })
  allowedModels: string[];

  /** The budget's limit in micro-USD; the three budget columns are all null (no budget) or all set. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintColumn })
  budgetLimitMicros: number | null;

  @Column({ type: 'varchar', length: 10, nullable: true })
  budgetPeriod: BudgetPeriod | null;

  @Column({ type: 'int', nullable: true })
  budgetWarnAtPercent: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "Tokens (input and output) the key may use per 60-second window (1..100 000 000); null for no limit. Verification answers RATE_LIMITED (429) past it.",
  })
  @Column({ type: 'int', nullable: true })
  tokensPerMinute: number | null;

  @TimestampColumn({ nullable: true })
  removedAt: Date | null;

  @RefColumn({ nullable: true })
  removedById: string | null;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_api_keys_organization' })
  private readonly organizationRef?: Organization;

  @ManyToOne(() => Space, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'spaceId', foreignKeyConstraintName: 'FK_api_keys_space' })
  private readonly spaceRef?: Space;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'ownerId', foreignKeyConstraintName: 'FK_api_keys_owner' })
  private readonly ownerRef?: User;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'removedById', foreignKeyConstraintName: 'FK_api_keys_removed_by' })
  private readonly removedByRef?: User;
}
