import { Column, Entity } from 'typeorm';
import { Field, ID, ObjectType } from 'type-graphql';
import { IdColumn, TimestampColumn } from '../../lib/columns';

@ObjectType()
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
}
