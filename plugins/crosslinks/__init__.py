from .crosslinks import register  # noqa: F401
