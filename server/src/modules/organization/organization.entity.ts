import { Column, Entity } from 'typeorm';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';

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
}
