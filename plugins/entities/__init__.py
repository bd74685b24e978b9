from .entities import register  # noqa: F401
