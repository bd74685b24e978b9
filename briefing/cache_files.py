"""SQLite cache files (the converter's, the build's): opened whatever state they were left in,
and not left at twice their size once most of their entries are gone."""

import sqlite3
from collections.abc import Callable
from pathlib import Path

FREE_AT_MOST = 1 / 3  # of a file's pages; a one-seed edit frees a few


def compact(db: sqlite3.Connection) -> bool:
    """VACUUM the file when more than FREE_AT_MOST of it is free pages, as a mass invalidation
    leaves it (a new version of the converter or of a reader: every entry is made again and the
    old ones deleted, so about half the file is free). SQLite reuses free pages but never gives
    them back, so the file would stay at twice its data: at 10,000 seeds, a 309 MB converter
    cache of which 144 MB were free. Whether it compacted; failing to only costs disk space."""
    try:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        free = db.execute("PRAGMA freelist_count").fetchone()[0]
        if free <= FREE_AT_MOST * pages:
            return False
        db.execute("VACUUM")
        return True
    except sqlite3.Error:
        return False


def open_database(path: Path, tables: dict[str, str], warn: Callable[[str], None]) -> sqlite3.Connection | None:
    """The SQLite file with these tables (name → columns). A damaged file (not a database: a
    crash, a disk error) is replaced, and `warn` is told, since everything it kept must be
    computed again. None if the file cannot be opened (a read-only folder, a lock, no space):
    the caller then works without it."""
    for _ in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path)
            for name, columns in tables.items():
                db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
            return db
        except sqlite3.OperationalError:  # locked, read-only, no space
            return None
        except sqlite3.DatabaseError:  # not a database: start a new one
            warn(f"{path} was damaged and is started afresh: what it kept is computed again")
            try:
                path.unlink(missing_ok=True)
            except OSError:
                return None
        except OSError:
            return None
    return None
