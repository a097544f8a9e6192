import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Organization } from '../organization/organization.entity';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';

@ObjectType()
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('spaces')
@Index('IDX_spaces_organization', ['organizationId', 'deletedAt'])
export class Space {
  @Field(() => ID)
  @IdColumn()
  id: string;

  @Field(() => ID)
  @RefColumn()
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_spaces_organization' })
  private readonly organizationRef?: Organization;

  @Field()
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'varchar', length: 500, nullable: true })
  logoUrl: string | null;

  @Field()
  @TimestampColumn()
  createdAt: Date;

  /** Set when the space is deleted: its keys stop working and leave every list. */
  @TimestampColumn({ nullable: true })
  deletedAt: Date | null;
}
