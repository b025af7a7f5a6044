"""Use cases: the only layer that opens transactions; the GUI and the CLI both call it."""
