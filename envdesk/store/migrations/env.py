"""Alembic environment: runs on the connection EnvDesk hands over (see envdesk.store.migrate)."""

from alembic import context

from envdesk.store.schema import Base, include_name

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
