import { Column, Entity } from 'typeorm';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';
import { bigintColumn, modelColumn } from '../spend/model-allowlist';

@ObjectType({ description: 'An organization: its members, spaces and subscription.' })
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('organizations')
export class Organization {
  @Field(() => ID, { description: "The organization's id." })
  @IdColumn()
  id: string;

  @Field({ description: "The organization's name." })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @TimestampColumn()
  createdAt: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'The longest lifetime, in days, a new or rolled key may have (1..730); null for no limit. Owners and admins set it.',
  })
  @Column({ type: 'int', nullable: true })
  maxKeyLifetimeDays: number | null;

  /** The largest budget (micro-USD per window) a key of the organization may have; null for none. Read as `keyLimits`. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintColumn })
  keyMaxBudgetMicros: number | null;

  /** The models every key of the organization is limited to (exact ids or `prefix/*`); empty for any. */
  @Column({ type: 'text', nullable: true, transformer: modelColumn })
  keyAllowedModels: string[];

  /** The largest token limit per minute a key of the organization may have; null for none. */
  @Column({ type: 'int', nullable: true })
  keyMaxTokensPerMinute: number | null;
}
