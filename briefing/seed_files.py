"""Which files of a seed folder are seeds (kept apart from the converter, so that a run with
nothing to convert can tell without loading it)."""

import os
from pathlib import Path

SEED_SUFFIXES = {".txt", ".text", ""}
SKIPPED = "  SKIP  "  # how the converter's report starts the line of a seed it cannot read


def skipped_line(name: str, reason: str) -> str:
    return f"{SKIPPED}{name}  {reason}"


def suffix(name: str) -> str:
    """A file name's suffix as Path.suffix gives it ('a.txt' → '.txt', 'a.' → '')."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed files of a folder, in name order; hidden files and sub-folders are ignored."""
    with os.scandir(seed_dir) as entries:  # the folder listing tells files apart without a stat each
        names = sorted(entry.name for entry in entries
                       if not entry.name.startswith(".") and suffix(entry.name).lower() in SEED_SUFFIXES
                       and entry.is_file())
    return [seed_dir / name for name in names]
