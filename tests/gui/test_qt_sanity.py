"""Guards against Qt binding bugs that EnvDesk has met, so a bad PySide6 release fails here, not at a user's desk."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel


def test_emitting_a_signal_keeps_python_booleans_alive(qapp):
    """PySide6 6.12.0 dropped a reference to True on each signal emitted from Python; after enough
    emissions the interpreter aborted at exit ("bool_dealloc"). pyproject.toml excludes that release."""
    model = QStandardItemModel(2, 2)
    before = sys.getrefcount(True)
    for _ in range(50):
        model.dataChanged.emit(model.index(0, 0), model.index(1, 1))
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 1)
    assert sys.getrefcount(True) >= before - 5
