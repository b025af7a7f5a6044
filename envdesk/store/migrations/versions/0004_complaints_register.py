"""The complaints register: complaints, pollution types, repeat links, handling records, steps, attachments,
and the full-text index over content, subject and location.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import envdesk.store.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('complaint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('received_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('received_date', sa.Date(), nullable=False),
    sa.Column('first_receiver_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('complainant_name', sa.String(length=100), nullable=False),
    sa.Column('complainant_phone', sa.String(length=50), nullable=False),
    sa.Column('complainant_address', sa.String(length=300), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('pollution_types', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('is_repeat', sa.Boolean(), nullable=False),
    sa.Column('skip_level', sa.Boolean(), nullable=False),
    sa.Column('key_case', sa.Boolean(), nullable=False),
    sa.Column('case_leader_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('transferred_to', sa.String(length=200), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('lead_department_id', sa.Integer(), nullable=True),
    sa.Column('lead_person_id', sa.Integer(), nullable=True),
    sa.Column('assisting_departments', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=False),
    sa.Column('extension_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('extension_approved_on', sa.Date(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=False),
    sa.Column('followed_up_on', sa.Date(), nullable=True),
    sa.Column('follow_up_method', sa.String(length=20), nullable=False),
    sa.Column('satisfaction', sa.String(length=20), nullable=False),
    sa.Column('follow_up_notes', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('review_requested_on', sa.Date(), nullable=True),
    sa.Column('review_answered_on', sa.Date(), nullable=True),
    sa.Column('second_review_requested_on', sa.Date(), nullable=True),
    sa.Column('second_review_answered_on', sa.Date(), nullable=True),
    sa.Column('acceptance_due', sa.Date(), nullable=True),
    sa.Column('handling_due', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_leader_id'], ['staff.id'], name=op.f('fk_complaint_case_leader_id_staff')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_complaint_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['extension_approved_by_id'], ['staff.id'], name=op.f('fk_complaint_extension_approved_by_id_staff')),
    sa.ForeignKeyConstraint(['first_receiver_id'], ['staff.id'], name=op.f('fk_complaint_first_receiver_id_staff')),
    sa.ForeignKeyConstraint(['lead_department_id'], ['department.id'], name=op.f('fk_complaint_lead_department_id_department')),
    sa.ForeignKeyConstraint(['lead_person_id'], ['staff.id'], name=op.f('fk_complaint_lead_person_id_staff')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_complaint_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint')),
    sa.UniqueConstraint('number', name=op.f('uq_complaint_number'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_channel'), ['channel'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_complainant_phone'), ['complainant_phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_is_repeat'), ['is_repeat'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_key_case'), ['key_case'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_lead_department_id'), ['lead_department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_received_date'), ['received_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_status'), ['status'], unique=False)
        batch_op.create_index('ix_complaint_status_acceptance_due', ['status', 'acceptance_due'], unique=False)
        batch_op.create_index('ix_complaint_status_handling_due', ['status', 'handling_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_town_id'), ['town_id'], unique=False)

    op.create_table('complaint_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('added_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_attachment_complaint_id_complaint')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_attachment'))
    )
    with op.batch_alter_table('complaint_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_attachment_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('recorded_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_event_complaint_id_complaint')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_complaint_event_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_event'))
    )
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_event_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_handling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('handled_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_handling_complaint_id_complaint')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_complaint_handling_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_handling'))
    )
    with op.batch_alter_table('complaint_handling', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_handling_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint_link',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('earlier_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_link_complaint_id_complaint'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['earlier_id'], ['complaint.id'], name=op.f('fk_complaint_link_earlier_id_complaint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('complaint_id', 'earlier_id', name=op.f('pk_complaint_link'))
    )
    op.create_table('complaint_pollution',
    sa.Column('complaint_id', sa.Integer(), nullable=False),
    sa.Column('pollution_type', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['complaint_id'], ['complaint.id'], name=op.f('fk_complaint_pollution_complaint_id_complaint'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('complaint_id', 'pollution_type', name=op.f('pk_complaint_pollution'))
    )
    with op.batch_alter_table('complaint_pollution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_pollution_pollution_type'), ['pollution_type'], unique=False)

    # The search index: bigram tokens of content, subject and location (see envdesk.domain.complaints.bigrams),
    # so that 2-character Chinese words are found through an index as well as longer ones.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE complaint_fts USING fts5(tokens, tokenize = 'unicode61')")
    else:
        op.create_table(
            "complaint_search",
            sa.Column("complaint_id", sa.Integer(), sa.ForeignKey("complaint.id", ondelete="CASCADE"),
                      primary_key=True),
            sa.Column("tokens", postgresql.ARRAY(sa.Text()), nullable=False),
        )
        op.create_index("ix_complaint_search_tokens", "complaint_search", ["tokens"], postgresql_using="gin")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE complaint_fts")
    else:
        op.drop_table("complaint_search")
    with op.batch_alter_table('complaint_pollution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_pollution_pollution_type'))

    op.drop_table('complaint_pollution')
    op.drop_table('complaint_link')
    with op.batch_alter_table('complaint_handling', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_handling_complaint_id'))

    op.drop_table('complaint_handling')
    with op.batch_alter_table('complaint_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_event_complaint_id'))

    op.drop_table('complaint_event')
    with op.batch_alter_table('complaint_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_attachment_complaint_id'))

    op.drop_table('complaint_attachment')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_town_id'))
        batch_op.drop_index('ix_complaint_status_handling_due')
        batch_op.drop_index('ix_complaint_status_acceptance_due')
        batch_op.drop_index(batch_op.f('ix_complaint_status'))
        batch_op.drop_index(batch_op.f('ix_complaint_received_date'))
        batch_op.drop_index(batch_op.f('ix_complaint_lead_department_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_key_case'))
        batch_op.drop_index(batch_op.f('ix_complaint_is_repeat'))
        batch_op.drop_index(batch_op.f('ix_complaint_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_complainant_phone'))
        batch_op.drop_index(batch_op.f('ix_complaint_channel'))

    op.drop_table('complaint')
