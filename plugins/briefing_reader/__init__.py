from .briefing_reader import register  # noqa: F401
