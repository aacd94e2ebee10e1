"""Scenario parameter schema: base helpers, county profile, behaviour."""
