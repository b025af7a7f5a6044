"""The approvals register: cases (project and application), their pauses and their steps.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import envdesk.store.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('approval',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('builder_id', sa.Integer(), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('project_code', sa.String(length=30), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('nature', sa.String(length=20), nullable=False),
    sa.Column('content_scale', sa.Text(), nullable=False),
    sa.Column('category', sa.Integer(), nullable=True),
    sa.Column('industry_code', sa.String(length=10), nullable=False),
    sa.Column('total_investment', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('env_investment', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('sensitive_area', sa.Boolean(), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('key_project', sa.Boolean(), nullable=False),
    sa.Column('preparing_institution', sa.String(length=200), nullable=False),
    sa.Column('document_type', sa.String(length=20), nullable=False),
    sa.Column('track', sa.String(length=30), nullable=False),
    sa.Column('level', sa.String(length=20), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('early_involvement_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('missing_items', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('document_number', sa.String(length=60), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('statutory_due', sa.Date(), nullable=True),
    sa.Column('promised_due', sa.Date(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('statutory_used', sa.Integer(), nullable=True),
    sa.Column('working_days_used', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['builder_id'], ['enterprise.id'], name=op.f('fk_approval_builder_id_enterprise')),
    sa.ForeignKeyConstraint(['handler_id'], ['staff.id'], name=op.f('fk_approval_handler_id_staff')),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_approval_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval')),
    sa.UniqueConstraint('document_number', name=op.f('uq_approval_document_number')),
    sa.UniqueConstraint('number', name=op.f('uq_approval_number'))
    )
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_builder_id'), ['builder_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_document_type'), ['document_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_key_project'), ['key_project'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_name'), ['name'], unique=False)
        batch_op.create_index('ix_approval_received_on_id', ['received_on', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_status'), ['status'], unique=False)
        batch_op.create_index('ix_approval_status_next_due', ['status', 'next_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_town_id'), ['town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approval_track'), ['track'], unique=False)

    op.create_table('approval_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('recorded_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approval.id'], name=op.f('fk_approval_event_approval_id_approval')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_approval_event_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_event'))
    )
    with op.batch_alter_table('approval_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_event_approval_id'), ['approval_id'], unique=False)

    op.create_table('approval_pause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('approval_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['approval_id'], ['approval.id'], name=op.f('fk_approval_pause_approval_id_approval')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approval_pause'))
    )
    with op.batch_alter_table('approval_pause', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approval_pause_approval_id'), ['approval_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('approval_pause', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_pause_approval_id'))

    op.drop_table('approval_pause')
    with op.batch_alter_table('approval_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_event_approval_id'))

    op.drop_table('approval_event')
    with op.batch_alter_table('approval', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approval_track'))
        batch_op.drop_index(batch_op.f('ix_approval_town_id'))
        batch_op.drop_index('ix_approval_status_next_due')
        batch_op.drop_index(batch_op.f('ix_approval_status'))
        batch_op.drop_index('ix_approval_received_on_id')
        batch_op.drop_index(batch_op.f('ix_approval_name'))
        batch_op.drop_index(batch_op.f('ix_approval_key_project'))
        batch_op.drop_index(batch_op.f('ix_approval_document_type'))
        batch_op.drop_index(batch_op.f('ix_approval_decided_on'))
        batch_op.drop_index(batch_op.f('ix_approval_category'))
        batch_op.drop_index(batch_op.f('ix_approval_builder_id'))

    op.drop_table('approval')
