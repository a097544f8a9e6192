import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Organization } from '../organization/organization.entity';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { IdColumn, RefColumn, TimestampColumn } from '../../lib/columns';

@ObjectType({ description: 'A space of an organization: its keys and who may manage them.' })
@Directive('@key(selectionSet: "{ id }")')
@Directive('@canonical')
@Entity('spaces')
@Index('IDX_spaces_organization', ['organizationId', 'deletedAt'])
export class Space {
  @Field(() => ID, { description: "The space's id." })
  @IdColumn()
  id: string;

  @Field(() => ID, { description: 'The organization the space belongs to.' })
  @RefColumn()
  organizationId: string;

  @ManyToOne(() => Organization, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'organizationId', foreignKeyConstraintName: 'FK_spaces_organization' })
  private readonly organizationRef?: Organization;

  @Field({ description: "The space's name." })
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Field(() => String, { nullable: true, description: "An http(s) URL of the space's logo; null for none." })
  @Column({ type: 'varchar', length: 500, nullable: true })
  logoUrl: string | null;

  @Field({ description: 'When the space was created.' })
  @TimestampColumn()
  createdAt: Date;

  /** Set when the space is deleted: its keys stop working and leave every list. */
  @TimestampColumn({ nullable: true })
  deletedAt: Date | null;
}
