"""The twinning register: enterprises, pairs, contacts, health checks and findings, service items and their steps.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import envdesk.store.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enterprise',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('types', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('contact_person', sa.String(length=50), nullable=False),
    sa.Column('contact_phone', sa.String(length=50), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['town.id'], name=op.f('fk_enterprise_town_id_town')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_enterprise_credit_code'))
    )
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_name_zh'), ['name_zh'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_town_id'), ['town_id'], unique=False)

    op.create_table('health_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('check_date', sa.Date(), nullable=False),
    sa.Column('expert_team', sa.Text(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_health_check_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_check'))
    )
    with op.batch_alter_table('health_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_health_check_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('twinning_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('liaison_id', sa.Integer(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('end_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_twinning_pair_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['leader_id'], ['staff.id'], name=op.f('fk_twinning_pair_leader_id_staff')),
    sa.ForeignKeyConstraint(['liaison_id'], ['staff.id'], name=op.f('fk_twinning_pair_liaison_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_twinning_pair'))
    )
    with op.batch_alter_table('twinning_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_twinning_pair_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_twinning_pair_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_twinning_pair_liaison_id'), ['liaison_id'], unique=False)
        batch_op.create_index('ix_twinning_pair_year_status', ['year', 'status'], unique=False)

    op.create_table('health_check_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('treatment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['check_id'], ['health_check.id'], name=op.f('fk_health_check_finding_check_id_health_check')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_check_finding'))
    )
    with op.batch_alter_table('health_check_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_health_check_finding_check_id'), ['check_id'], unique=False)

    op.create_table('twinning_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('contact_date', sa.Date(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('problems', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['twinning_pair.id'], name=op.f('fk_twinning_contact_pair_id_twinning_pair')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_twinning_contact_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_twinning_contact'))
    )
    with op.batch_alter_table('twinning_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_twinning_contact_contact_date'), ['contact_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_twinning_contact_pair_id'), ['pair_id'], unique=False)

    op.create_table('service_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('problem_index', sa.Integer(), nullable=True),
    sa.Column('finding_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['twinning_contact.id'], name=op.f('fk_service_item_contact_id_twinning_contact')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_service_item_department_id_department')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_service_item_enterprise_id_enterprise')),
    sa.ForeignKeyConstraint(['finding_id'], ['health_check_finding.id'], name=op.f('fk_service_item_finding_id_health_check_finding')),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_service_item_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_item')),
    sa.UniqueConstraint('number', name=op.f('uq_service_item_number'))
    )
    with op.batch_alter_table('service_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_item_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index('ix_service_item_status_due', ['status', 'due_date'], unique=False)

    op.create_table('service_item_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=False),
    sa.Column('recorded_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_service_item_event_department_id_department')),
    sa.ForeignKeyConstraint(['item_id'], ['service_item.id'], name=op.f('fk_service_item_event_item_id_service_item')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_service_item_event_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_item_event'))
    )
    with op.batch_alter_table('service_item_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_item_event_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_item_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_item_event_item_id'))

    op.drop_table('service_item_event')
    with op.batch_alter_table('service_item', schema=None) as batch_op:
        batch_op.drop_index('ix_service_item_status_due')
        batch_op.drop_index(batch_op.f('ix_service_item_enterprise_id'))

    op.drop_table('service_item')
    with op.batch_alter_table('twinning_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_twinning_contact_pair_id'))
        batch_op.drop_index(batch_op.f('ix_twinning_contact_contact_date'))

    op.drop_table('twinning_contact')
    with op.batch_alter_table('health_check_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_health_check_finding_check_id'))

    op.drop_table('health_check_finding')
    with op.batch_alter_table('twinning_pair', schema=None) as batch_op:
        batch_op.drop_index('ix_twinning_pair_year_status')
        batch_op.drop_index(batch_op.f('ix_twinning_pair_liaison_id'))
        batch_op.drop_index(batch_op.f('ix_twinning_pair_leader_id'))
        batch_op.drop_index(batch_op.f('ix_twinning_pair_enterprise_id'))

    op.drop_table('twinning_pair')
    with op.batch_alter_table('health_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_health_check_enterprise_id'))

    op.drop_table('health_check')
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_town_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_name_zh'))

    op.drop_table('enterprise')
