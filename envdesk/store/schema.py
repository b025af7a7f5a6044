"""Every model module, imported once so the metadata (migrations, tests) knows all tables."""

from envdesk.store import models, twinning  # noqa: F401

Base = models.Base
