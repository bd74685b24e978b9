"""A folder of seeds → a folder of Markdown briefings, with a report of what was done."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import markdown
from .duplicates import find_duplicates
from .model import Briefing, Duplicate
from .overrides import Override, apply_override, load_overrides
from .seed_cache import SeedCache
from .slugs import make_slug, unique_slugs

log = logging.getLogger("briefing")

BRIEFINGS_DIR = "briefings"
SOURCES_DIR = "sources"  # plain-text copies of the seeds, linked from each briefing
SEED_SUFFIXES = {".txt", ".text", ""}


class EditedByHand(Exception):
    """A generated file was edited by hand; overwriting it would lose the edit."""


@dataclass
class Report:
    briefings: list[Briefing] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (seed name, reason)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the run, not one seed
    kept_edits: list[str] = field(default_factory=list)
    written: int = 0
    deleted: int = 0

    @property
    def warning_count(self) -> int:
        return (len(self.skipped) + len(self.warnings)
                + sum(len(b.warnings) for b in self.briefings))

    @property
    def edited_count(self) -> int:
        return sum(1 for b in self.briefings if b.edited)


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed files of a folder, in name order; hidden files and sub-folders are ignored."""
    return sorted(
        (path for path in seed_dir.iterdir()
         if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SEED_SUFFIXES),
        key=lambda path: path.name,
    )


def read_seeds(seed_dir: Path, report: Report, overrides: dict[str, Override],
               cache: SeedCache | None = None) -> list[Briefing]:
    """Convert every seed of the folder (unchanged seeds come from the cache), then apply the
    editor's overrides; lines an override keeps are part of the conversion, so of its cache key."""
    paths = seed_files(seed_dir)
    keep = {name: (tuple(override.keep),) for name, override in overrides.items() if override.keep}
    briefings = []
    for path, result in zip(paths, (cache or SeedCache(None)).convert_all(paths, keep)):
        if isinstance(result, Briefing):
            apply_override(result, overrides.get(path.name, Override(path.name)))
            briefings.append(result)
        else:
            report.skipped.append((path.name, result))
            log.warning("skipped seed %s: %s", path.name, result)
    return briefings


def convert_folder(seed_dir: Path, content_dir: Path, keep_edits: bool = False,
                   overwrite_edits: bool = False) -> Report:
    """Convert every seed of `seed_dir` into `content_dir/briefings/*.md`.

    Files are rewritten only when their text changes (so Pelican's cache stays warm), and
    generated files whose seed is gone are deleted. A generated file edited by hand raises
    EditedByHand, unless `keep_edits` (leave it) or `overwrite_edits` (replace it).
    """
    report = Report()
    overrides = load_overrides(seed_dir)
    cache = SeedCache(content_dir)
    briefings = read_seeds(seed_dir, report, overrides, cache)
    report.warnings += [f"overrides: no seed named {name!r} in {seed_dir}" for name in sorted(overrides)
                        if name not in {path.name for path in seed_files(seed_dir)}]
    slugs = unique_slugs({b.seed_name: make_slug(b.title, b.seed_name) for b in briefings})
    outputs: dict[Path, str] = {}
    for briefing in briefings:
        briefing.slug = slugs[briefing.seed_name]
        outputs[content_dir / seed_copy(briefing)] = "\ufeff" + briefing.seed_text  # BOM: read as UTF-8
    distinct = {name for name, override in overrides.items() if override.distinct}
    report.duplicates = merge_duplicates(briefings, distinct)
    left_out = {duplicate.seed_name for duplicate in report.duplicates}
    report.warnings += [f"overrides for {d.seed_name} have no effect: it repeats {d.kept} "
                        "(put the corrections there, or set distinct = true to keep both)"
                        for d in report.duplicates if d.seed_name in overrides]
    for briefing in briefings:
        if briefing.seed_name in left_out:
            continue
        path = content_dir / BRIEFINGS_DIR / f"{briefing.slug}.md"
        outputs[path] = markdown.render(briefing, seed_copy(briefing))
        report.briefings.append(briefing)
    check_edits(content_dir, outputs, report, keep_edits, overwrite_edits)
    write_outputs(outputs, report)
    delete_stale(content_dir, outputs, report)
    cache.save()
    return report


def seed_copy(briefing: Briefing) -> str:
    """The plain-text copy of a seed in the site, relative to the content folder."""
    return f"{SOURCES_DIR}/{briefing.slug}.txt"


def merge_duplicates(briefings: list[Briefing], distinct: set[str]) -> list[Duplicate]:
    """Find repeated articles; each kept briefing lists the seeds it stands for too."""
    by_name = {b.seed_name: b for b in briefings}
    duplicates = find_duplicates(briefings, distinct)
    for duplicate in duplicates:
        duplicate.seed_copy = seed_copy(by_name[duplicate.seed_name])
        by_name[duplicate.kept].duplicates.append(duplicate)
    return duplicates


def generated_files(content_dir: Path) -> list[Path]:
    """Markdown files this converter wrote earlier (they start with its checksum line)."""
    folder = content_dir / BRIEFINGS_DIR
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*.md")
                  if path.read_text("utf-8", errors="replace").startswith(markdown.CHECKSUM_KEY + ":"))


def check_edits(content_dir: Path, outputs: dict[Path, str], report: Report,
                keep_edits: bool, overwrite_edits: bool) -> None:
    for path in generated_files(content_dir):
        existing = path.read_text("utf-8")
        if not markdown.edited_by_hand(existing) or outputs.get(path) == existing:
            continue
        if overwrite_edits:
            log.warning("overwriting hand edits in %s (--overwrite-edits)", path)
        elif keep_edits:
            report.kept_edits.append(str(path))
            outputs.pop(path, None)
            outputs[path] = existing
        else:
            raise EditedByHand(
                f"{path} was edited by hand since it was generated; put the change in the "
                "overrides file, or run again with --keep-edits (leave it) or --overwrite-edits"
            )


def write_outputs(outputs: dict[Path, str], report: Report) -> None:
    for path, text in outputs.items():
        if path.exists() and path.read_text("utf-8", errors="replace") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(text, "utf-8")
        temporary.replace(path)
        report.written += 1


def delete_stale(content_dir: Path, outputs: dict[Path, str], report: Report) -> None:
    """Remove generated briefings and seed copies whose seed is no longer in the folder."""
    stale = [path for path in generated_files(content_dir) if path not in outputs]
    sources = content_dir / SOURCES_DIR
    if sources.is_dir():
        stale += [path for path in sorted(sources.glob("*.txt")) if path not in outputs]
    for path in stale:
        path.unlink()
        report.deleted += 1


def format_report(report: Report) -> list[str]:
    """One line per seed (converted, duplicate or skipped), then a summary."""
    lines = []
    for b in report.briefings:
        date = b.date.iso() if b.date else "undated"
        title = b.title if len(b.title) <= 60 else b.title[:57] + "..."
        edited = f"  edited={','.join(b.edited)}" if b.edited else ""
        genre = f"  genre={b.genre}" if b.genre else ""
        lines.append(f"  ok    {b.seed_name}  {date:<10}  {title!r}  source={b.source or '-'}  "
                     f"removed={len(b.removed)}  warnings={len(b.warnings)}{genre}{edited}")
        lines += [f"        warning: {b.seed_name}: {warning}" for warning in b.warnings]
    for duplicate in report.duplicates:
        lines.append(f"  DUP   {duplicate.seed_name}  duplicate of {duplicate.kept} ({duplicate.reason})")
    for name, reason in report.skipped:
        lines.append(f"  SKIP  {name}  {reason}")
    lines += [f"  warning: {warning}" for warning in report.warnings]
    lines += [f"  kept hand edits in {path}" for path in report.kept_edits]
    seeds = len(report.briefings) + len(report.duplicates) + len(report.skipped)
    lines.append(
        f"{seeds} seeds: {len(report.briefings)} converted, {len(report.duplicates)} duplicates, "
        f"{len(report.skipped)} skipped, {report.warning_count} warnings, "
        f"{report.edited_count} with editor overrides; "
        f"{report.written} files written, {report.deleted} stale files deleted"
    )
    return lines
