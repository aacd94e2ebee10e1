"""Commands beyond ``run``: each module has ``register(app)`` adding its commands."""
