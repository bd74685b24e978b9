"""Which files of a seed folder are seeds (kept apart from the converter, so that a run with
nothing to convert can tell without loading it)."""

from pathlib import Path

SEED_SUFFIXES = {".txt", ".text", ""}


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed files of a folder, in name order; hidden files and sub-folders are ignored."""
    return sorted(
        (path for path in seed_dir.iterdir()
         if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SEED_SUFFIXES),
        key=lambda path: path.name,
    )
