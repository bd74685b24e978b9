from .build_cache import register  # noqa: F401
