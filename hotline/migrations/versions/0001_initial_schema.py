"""initial schema: calls, cases, complainants, media, entities, users, audit trail

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 15:36:54.115074
"""
from alembic import op
import sqlalchemy as sa
import hotline.models.base


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uniqueid', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=128), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('caller_enc', sa.LargeBinary(), nullable=True),
    sa.Column('caller_hash', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('started_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hung_up', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    sa.UniqueConstraint('uniqueid', name=op.f('uq_calls_uniqueid'))
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_caller_hash'), ['caller_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_started_at'), ['started_at'], unique=False)

    op.create_table('complainants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_enc', sa.LargeBinary(), nullable=True),
    sa.Column('phone_enc', sa.LargeBinary(), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('national_id_enc', sa.LargeBinary(), nullable=True),
    sa.Column('national_id_hash', sa.String(length=64), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('consent_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('consent_channel', sa.String(length=16), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complainants'))
    )
    with op.batch_alter_table('complainants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complainants_national_id_hash'), ['national_id_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_complainants_phone_hash'), ['phone_hash'], unique=False)

    op.create_table('complaint_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_complaint_counters'))
    )
    op.create_table('entities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.Enum('ministry', 'governorate', 'local_unit', 'authority', name='entitykind', native_enum=False, length=16), nullable=False),
    sa.Column('name_ar', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('governorate', sa.String(length=32), nullable=True),
    sa.Column('nid_code', sa.String(length=2), nullable=True),
    sa.Column('menu_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['entities.id'], name=op.f('fk_entities_parent_id_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entities')),
    sa.UniqueConstraint('code', name=op.f('uq_entities_code')),
    sa.UniqueConstraint('governorate', name=op.f('uq_entities_governorate')),
    sa.UniqueConstraint('nid_code', name=op.f('uq_entities_nid_code'))
    )
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entities_parent_id'), ['parent_id'], unique=False)

    op.create_table('call_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('prompt', sa.String(length=64), nullable=True),
    sa.Column('input', sa.Text(), nullable=True),
    sa.Column('result', sa.String(length=64), nullable=True),
    sa.Column('at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_steps_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_steps')),
    sa.UniqueConstraint('call_id', 'seq', name='call_seq')
    )
    with op.batch_alter_table('call_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_steps_call_id'), ['call_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Enum('received', 'under_review', 'routed', 'answered', 'closed', 'rejected', 'duplicate', name='casestatus', native_enum=False, length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('channel_detail', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('governorate', sa.String(length=32), nullable=True),
    sa.Column('district', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('complainant_id', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('incomplete', sa.Boolean(), nullable=False),
    sa.Column('recording_pending', sa.Boolean(), nullable=False),
    sa.Column('legal_hold', sa.Boolean(), nullable=False),
    sa.Column('due_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_cases_call_id_calls')),
    sa.ForeignKeyConstraint(['complainant_id'], ['complainants.id'], name=op.f('fk_cases_complainant_id_complainants')),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_cases_entity_id_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('number', name=op.f('uq_cases_number'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_governorate'), ['governorate'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_status'), ['status'], unique=False)

    op.create_table('routing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('governorate', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('to_governorate', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_routing_rules_entity_id_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules')),
    sa.UniqueConstraint('category', 'governorate', name='category_governorate')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('extension', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('api_token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_users_entity_id_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('api_token_hash', name=op.f('uq_users_api_token_hash')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_entity_id'), ['entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('vault_path', sa.String(length=500), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.String(length=128), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('source_id', name=op.f('uq_attachments_source_id'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_case_id'), ['case_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_entries_hash'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_user_id'), ['user_id'], unique=False)

    op.create_table('case_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('from_entity_id', sa.Integer(), nullable=True),
    sa.Column('to_entity_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_history_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['from_entity_id'], ['entities.id'], name=op.f('fk_case_history_from_entity_id_entities')),
    sa.ForeignKeyConstraint(['to_entity_id'], ['entities.id'], name=op.f('fk_case_history_to_entity_id_entities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_case_history_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_history'))
    )
    with op.batch_alter_table('case_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_history_case_id'), ['case_id'], unique=False)

    op.create_table('recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('spool_path', sa.String(length=500), nullable=True),
    sa.Column('vault_path', sa.String(length=500), nullable=True),
    sa.Column('source_format', sa.String(length=16), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('purged_at', hotline.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_recordings_call_id_calls')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_recordings_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recordings'))
    )
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recordings_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_recordings_status'), ['status'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_responses_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_responses_entity_id_entities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_responses_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses'))
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_case_id'), ['case_id'], unique=False)

    op.create_table('transcripts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('redacted_text', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('decode_seconds', sa.Float(), nullable=True),
    sa.Column('real_time_factor', sa.Float(), nullable=True),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('suggested_category', sa.String(length=32), nullable=True),
    sa.Column('suggestion_score', sa.Float(), nullable=True),
    sa.Column('created_at', hotline.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_transcripts_case_id_cases')),
    sa.ForeignKeyConstraint(['recording_id'], ['recordings.id'], name=op.f('fk_transcripts_recording_id_recordings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcripts')),
    sa.UniqueConstraint('recording_id', name=op.f('uq_transcripts_recording_id'))
    )
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transcripts_case_id'), ['case_id'], unique=False)

    _audit_append_only()


def downgrade() -> None:
    _audit_append_only(drop=True)
    with op.batch_alter_table('transcripts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transcripts_case_id'))

    op.drop_table('transcripts')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_case_id'))

    op.drop_table('responses')
    with op.batch_alter_table('recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recordings_status'))
        batch_op.drop_index(batch_op.f('ix_recordings_created_at'))
        batch_op.drop_index(batch_op.f('ix_recordings_case_id'))
        batch_op.drop_index(batch_op.f('ix_recordings_call_id'))

    op.drop_table('recordings')
    with op.batch_alter_table('case_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_history_case_id'))

    op.drop_table('case_history')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_user_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_case_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_case_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))
        batch_op.drop_index(batch_op.f('ix_users_entity_id'))

    op.drop_table('users')
    op.drop_table('routing_rules')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_status'))
        batch_op.drop_index(batch_op.f('ix_cases_governorate'))
        batch_op.drop_index(batch_op.f('ix_cases_entity_id'))
        batch_op.drop_index(batch_op.f('ix_cases_due_at'))
        batch_op.drop_index(batch_op.f('ix_cases_created_at'))
        batch_op.drop_index(batch_op.f('ix_cases_category'))
        batch_op.drop_index(batch_op.f('ix_cases_call_id'))

    op.drop_table('cases')
    with op.batch_alter_table('call_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_steps_call_id'))

    op.drop_table('call_steps')
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entities_parent_id'))

    op.drop_table('entities')
    op.drop_table('complaint_counters')
    with op.batch_alter_table('complainants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complainants_phone_hash'))
        batch_op.drop_index(batch_op.f('ix_complainants_national_id_hash'))

    op.drop_table('complainants')
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calls_started_at'))
        batch_op.drop_index(batch_op.f('ix_calls_caller_hash'))

    op.drop_table('calls')
    op.drop_table('audit_head')


def _audit_append_only(drop: bool = False) -> None:
    """The database itself refuses UPDATE and DELETE on the audit trail."""
    if op.get_bind().dialect.name == "postgresql":
        if drop:
            op.execute("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries")
            op.execute("DROP FUNCTION IF EXISTS audit_append_only()")
            return
        op.execute("""
            CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit trail is append-only'; END
            $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
            FOR EACH ROW EXECUTE FUNCTION audit_append_only()""")
        return
    for verb in ("update", "delete"):
        if drop:
            op.execute(f"DROP TRIGGER IF EXISTS audit_entries_no_{verb}")
        else:
            op.execute(f"""
                CREATE TRIGGER audit_entries_no_{verb} BEFORE {verb.upper()} ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""")
