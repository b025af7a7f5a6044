"""Pure-Python rules of EnvDesk: no Qt, no SQL, no ReportLab."""
