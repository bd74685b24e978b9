from .parallel_render import register  # noqa: F401
