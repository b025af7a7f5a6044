"""The Qt user interface: the main window, its tabs and dialogs."""
