"""EnvDesk: the desktop workbench of a county Ecology & Environment Bureau."""

__version__ = "0.1.0"
