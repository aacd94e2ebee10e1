"""Persons and households: columnar state, synthesis and microdata."""
