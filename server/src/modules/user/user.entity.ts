import { Column, Entity, Index } from 'typeorm';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';

@ObjectType({ description: 'A person who signs in.' })
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('users')
@Index('UQ_users_identity', ['oidcIssuer', 'oidcSubject'], { unique: true })
export class User {
  @Field(() => ID, { description: "The user's id." })
  @IdColumn()
  id: string;

  @Field({ description: "The user's display name." })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /**
   * Canonical form (`canonicalEmail`): trimmed, Unicode NFC, lower-cased. Compared byte for byte:
   * utf8mb4_bin on MySQL/MariaDB (migration SignInIdentity), BINARY on SQLite.
   */
  @Field({ description: "The user's email address, lower-cased." })
  @Index('UQ_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Field(() => String, { nullable: true, description: "An http(s) URL of the user's picture; null for none." })
  @Column({ type: 'varchar', length: 500, nullable: true })
  avatarUrl: string | null;

  /** scrypt hash for local sign-in; null for users of the identity provider. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  passwordHash: string | null;

  /** The identity provider's issuer and subject this user is linked to (on first sign-in by verified email). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  oidcIssuer: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  oidcSubject: string | null;

  @TimestampColumn()
  createdAt: Date;
}
