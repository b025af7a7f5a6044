"""Accounts, sign-in and the audit trail: the administrator's Users dialog, the audit view, record history."""
