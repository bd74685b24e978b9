"""Load the rule files in `briefing/data/` once, compiled."""

import re
import tomllib
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict:
    """The parsed TOML file `briefing/data/<name>.toml`."""
    with open(DATA_DIR / f"{name}.toml", "rb") as handle:
        return tomllib.load(handle)


def compile_all(patterns: list[str], flags: int = 0) -> list[re.Pattern]:
    """Compile a list of regular expressions from a rule file."""
    return [re.compile(pattern, flags) for pattern in patterns]


def words(text: str) -> list[str]:
    """Whitespace-separated words of a string."""
    return text.split()
