"""The approvals register (环评审批) in the main window: the list, a case's two clocks, its steps and the summary."""
