"""The twinning enterprises tab: pairs, monthly contacts, health checks and the service account."""
