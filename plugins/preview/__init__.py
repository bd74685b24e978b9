from .preview import register  # noqa: F401
