"""The complaints tab: the ledger, one complaint's workflow and clocks, registering, statistics."""
