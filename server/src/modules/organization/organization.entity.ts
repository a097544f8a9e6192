import { Column, Entity } from 'typeorm';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';

@ObjectType()
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('organizations')
export class Organization {
  @Field(() => ID)
  @IdColumn()
  id: string;

  @Field()
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
