from .linear_taxonomy import register  # noqa: F401
