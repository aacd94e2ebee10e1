"""Building a county's population at the start: synthesis, microdata, the shared start state."""
