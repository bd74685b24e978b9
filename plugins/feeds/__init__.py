from .feeds import Feed, register  # noqa: F401
