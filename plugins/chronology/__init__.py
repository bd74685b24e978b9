from .chronology import register  # noqa: F401
