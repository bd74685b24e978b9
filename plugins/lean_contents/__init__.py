from .lean_contents import register  # noqa: F401
