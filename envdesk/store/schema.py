"""Every model module, imported once so the metadata (migrations, tests) knows all tables."""

from envdesk.store import approvals, complaints, models, responsibility, twinning, users  # noqa: F401

Base = models.Base

# The complaints search index is made by hand in its migration (an FTS5 table on SQLite, an array with a GIN
# index on PostgreSQL); it has no model, so comparisons with the models leave it out.
SEARCH_TABLES = ("complaint_fts", "complaint_search")


def include_name(name: str | None, type_: str, parent_names) -> bool:
    if type_ == "table" and name is not None:
        return not name.startswith(SEARCH_TABLES)
    return True
