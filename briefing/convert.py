"""A folder of seeds → a folder of Markdown briefings, with a report of what was done."""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import markdown
from .model import Briefing
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
    kept_edits: list[str] = field(default_factory=list)
    written: int = 0
    deleted: int = 0

    @property
    def warning_count(self) -> int:
        return len(self.skipped) + sum(len(b.warnings) for b in self.briefings)


def seed_files(seed_dir: Path) -> list[Path]:
    """The seed files of a folder, in name order; hidden files and sub-folders are ignored."""
    return sorted(
        (path for path in seed_dir.iterdir()
         if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SEED_SUFFIXES),
        key=lambda path: path.name,
    )


def read_seeds(seed_dir: Path, report: Report, cache: SeedCache | None = None) -> list[Briefing]:
    """Convert every seed of the folder (unchanged seeds come from the cache)."""
    paths = seed_files(seed_dir)
    briefings = []
    for path, result in zip(paths, (cache or SeedCache(None)).convert_all(paths)):
        if isinstance(result, Briefing):
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
    cache = SeedCache(content_dir)
    briefings = read_seeds(seed_dir, report, cache)
    slugs = unique_slugs({b.seed_name: make_slug(b.title, b.seed_name) for b in briefings})
    outputs: dict[Path, str] = {}
    for briefing in briefings:
        briefing.slug = slugs[briefing.seed_name]
        copy = f"{SOURCES_DIR}/{briefing.slug}.txt"
        outputs[content_dir / BRIEFINGS_DIR / f"{briefing.slug}.md"] = markdown.render(briefing, copy)
        outputs[content_dir / copy] = "\ufeff" + briefing.seed_text  # BOM: browsers read it as UTF-8
        report.briefings.append(briefing)
    check_edits(content_dir, outputs, report, keep_edits, overwrite_edits)
    write_outputs(outputs, report)
    delete_stale(content_dir, outputs, report)
    cache.save()
    return report


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
    """One line per seed, then a summary."""
    lines = []
    for b in report.briefings:
        date = b.date.iso() if b.date else "undated"
        title = b.title if len(b.title) <= 60 else b.title[:57] + "..."
        lines.append(f"  ok    {b.seed_name}  {date:<10}  {title!r}  source={b.source or '-'}  "
                     f"removed={len(b.removed)}  warnings={len(b.warnings)}")
        lines += [f"        warning: {b.seed_name}: {warning}" for warning in b.warnings]
    for name, reason in report.skipped:
        lines.append(f"  SKIP  {name}  {reason}")
    lines += [f"  kept hand edits in {path}" for path in report.kept_edits]
    lines.append(
        f"{len(report.briefings) + len(report.skipped)} seeds: {len(report.briefings)} converted, "
        f"{len(report.skipped)} skipped, {report.warning_count} warnings; "
        f"{report.written} files written, {report.deleted} stale files deleted"
    )
    return lines
