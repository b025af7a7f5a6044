"""The responsibility matrix: plans and phases, tasks with their departments, weekly progress, and letters.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

import envdesk.store.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['department.id'], name=op.f('fk_plan_office_id_department')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('title_zh', name=op.f('uq_plan_title_zh'))
    )
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_year'), ['year'], unique=False)

    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('party_a_id', sa.Integer(), nullable=False),
    sa.Column('party_b_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('content', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('printed_on', sa.Date(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('archived_on', sa.Date(), nullable=True),
    sa.Column('scan_file_name', sa.String(length=255), nullable=False),
    sa.Column('scan_sha256', sa.String(length=64), nullable=False),
    sa.Column('scan_size', sa.Integer(), nullable=True),
    sa.Column('scan_media_type', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_letter_department_id_department')),
    sa.ForeignKeyConstraint(['party_a_id'], ['staff.id'], name=op.f('fk_letter_party_a_id_staff')),
    sa.ForeignKeyConstraint(['party_b_id'], ['staff.id'], name=op.f('fk_letter_party_b_id_staff')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_letter_plan_id_plan')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['letter.id'], name=op.f('fk_letter_supersedes_id_letter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('number', name=op.f('uq_letter_number')),
    sa.UniqueConstraint('plan_id', 'kind', 'department_id', 'revision', name=op.f('uq_letter_plan_id_kind_department_id_revision'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_status'), ['status'], unique=False)

    op.create_table('plan_phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_phase_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_phase'))
    )
    with op.batch_alter_table('plan_phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_phase_plan_id'), ['plan_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('phase_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('persons', envdesk.store.types.JSONText(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['leader_id'], ['staff.id'], name=op.f('fk_task_leader_id_staff')),
    sa.ForeignKeyConstraint(['phase_id'], ['plan_phase.id'], name=op.f('fk_task_phase_id_plan_phase')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_plan_id_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_phase_id'), ['phase_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_status'), ['status'], unique=False)

    op.create_table('task_department',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_department_department_id_department')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_department_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('task_id', 'department_id', name=op.f('pk_task_department'))
    )
    with op.batch_alter_table('task_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_department_department_id'), ['department_id'], unique=False)

    op.create_table('task_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', envdesk.store.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_task_progress_department_id_department')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_task_progress_staff_id_staff')),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_progress_task_id_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_progress'))
    )
    with op.batch_alter_table('task_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_progress_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_progress_reported_on'), ['reported_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_progress_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_progress_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_progress_reported_on'))
        batch_op.drop_index(batch_op.f('ix_task_progress_department_id'))

    op.drop_table('task_progress')
    with op.batch_alter_table('task_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_department_department_id'))

    op.drop_table('task_department')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_status'))
        batch_op.drop_index(batch_op.f('ix_task_plan_id'))
        batch_op.drop_index(batch_op.f('ix_task_phase_id'))
        batch_op.drop_index(batch_op.f('ix_task_leader_id'))
        batch_op.drop_index(batch_op.f('ix_task_deadline'))

    op.drop_table('task')
    with op.batch_alter_table('plan_phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_phase_plan_id'))

    op.drop_table('plan_phase')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_status'))
        batch_op.drop_index(batch_op.f('ix_letter_plan_id'))
        batch_op.drop_index(batch_op.f('ix_letter_department_id'))

    op.drop_table('letter')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_year'))

    op.drop_table('plan')
