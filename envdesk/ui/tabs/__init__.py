"""The main window's tabs, one module (later one package) per register."""
