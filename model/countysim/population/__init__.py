"""The county's persons and households: columnar state and the codes of its categorical columns."""
