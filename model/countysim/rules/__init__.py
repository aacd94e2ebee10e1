"""Behavioural rules, one module per domain: pure vectorised functions and a phase ``step``."""
