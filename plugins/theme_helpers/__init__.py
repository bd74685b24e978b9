from .theme_helpers import register  # noqa: F401
