"""Wheel build hook: puts resources/ and the compiled catalogs of translations/ inside the package."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        if version == "editable":  # a source checkout reads translations/ directly
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        build_data["force_include"][str(root / "resources")] = "envdesk/resources"
        out = Path(tempfile.mkdtemp(prefix="envdesk-mo-"))
        for po_path in sorted((root / "translations").glob("*/LC_MESSAGES/*.po")):
            locale = po_path.parent.parent.name
            with po_path.open("rb") as f:
                catalog = read_po(f, locale=locale)
            mo_path = out / locale / "LC_MESSAGES" / (po_path.stem + ".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as f:
                write_mo(f, catalog)
            rel = f"envdesk/translations/{locale}/LC_MESSAGES/{mo_path.name}"
            build_data["force_include"][str(mo_path)] = rel
