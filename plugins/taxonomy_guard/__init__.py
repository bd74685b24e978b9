from .taxonomy_guard import register  # noqa: F401
