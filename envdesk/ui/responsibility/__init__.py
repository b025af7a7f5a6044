"""The responsibility matrix tab: plans, the task table (edited in place, with undo), the matrix, weekly progress
and the responsibility letters."""
