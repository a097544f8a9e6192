import { Column, Entity, Index } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';

@ObjectType()
@Entity('users')
export class User {
  @Field(() => ID)
  @IdColumn()
  id: string;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Stored lower-cased. */
  @Field()
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  avatarUrl: string | null;

  /** scrypt hash for local sign-in; null for users of the identity provider. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  @TimestampColumn()
  createdAt: Date;
}
