"""A folder of seeds → a folder of Markdown briefings, with a report of what was done."""

import functools
import hashlib
import logging
import os
import sys
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import markdown
from .duplicates import Fingerprint, fingerprint_of, settle_duplicates
from .file_states import FileStates, digest
from .model import Briefing, Duplicate, PublishedDate
from .overrides import Override, apply_override, load_overrides
from .progress import Progress
from .seed_cache import SeedCache, converter_fingerprint
from .seed_files import seed_files, skipped_line
from .slugs import make_slug, unique_slugs

log = logging.getLogger("briefing")

BRIEFINGS_DIR = "briefings"
SOURCES_DIR = "sources"  # plain-text copies of the seeds, linked from each briefing
WRITING_THREADS = 2  # threads that write the files of the second pass
WRITES_AHEAD = 32  # files handed to them and not yet written, at most


class EditedByHand(Exception):
    """A generated file was edited by hand; overwriting it would lose the edit."""


@dataclass
class Summary:
    """A converted seed as the report and the folder-level steps (slugs, duplicates) need it;
    the whole briefing waits in the seed cache until its Markdown is written."""

    seed_name: str
    key: str  # in the seed cache
    title: str
    date: PublishedDate | None
    source: str
    genre: str
    removed: int  # lines removed from the seed
    warnings: list[str]
    edited: list[str]
    fingerprint: Fingerprint
    slug: str = ""

    @classmethod
    def of(cls, briefing: Briefing, key: str) -> "Summary":
        return cls(briefing.seed_name, key, briefing.title, briefing.date, briefing.source,
                   briefing.genre, len(briefing.removed), briefing.warnings, briefing.edited,
                   fingerprint_of(briefing))


class StoredBriefings(Sequence):
    """The report's briefings, each read back from the seed cache when asked for."""

    def __init__(self, summaries: list[Summary], whole: Callable[[Summary], Briefing]):
        self.summaries, self.whole = summaries, whole

    def __len__(self) -> int:
        return len(self.summaries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.whole(summary) for summary in self.summaries[index]]
        return self.whole(self.summaries[index])


@dataclass
class Report:
    briefings: Sequence[Briefing] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)  # of the briefings, for the report
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (seed name, reason)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the run, not one seed
    kept_edits: list[str] = field(default_factory=list)
    written: int = 0
    deleted: int = 0
    touched: set[str] = field(default_factory=set)  # files written or deleted
    files_as_read: dict[str, tuple[int, int]] = field(default_factory=dict)  # the others, as read

    @property
    def warning_count(self) -> int:
        return (len(self.skipped) + len(self.warnings)
                + sum(len(b.warnings) for b in self.summaries))

    @property
    def edited_count(self) -> int:
        return sum(1 for b in self.summaries if b.edited)


def read_seeds(paths: list[Path], report: Report, overrides: dict[str, Override],
               cache: SeedCache) -> list[Summary]:
    """Convert every seed of the folder (unchanged seeds come from the cache), then apply the
    editor's overrides; lines an override keeps are part of the conversion, so of its cache key.
    Only a summary of each briefing is kept: the cache has the rest."""
    keep = {name: (tuple(override.keep),) for name, override in overrides.items() if override.keep}
    summaries = []
    progress = Progress("Converting seeds", len(paths), file=sys.stderr)
    for path, key, result in cache.convert_each(paths, keep, whole=False):
        progress.advance()
        if isinstance(result, Briefing):
            apply_override(result, overrides.get(path.name, Override(path.name)))
            summary = Summary.of(result, key)
            if summary.fingerprint.shingles is None:
                summary.fingerprint.load = functools.partial(cache.shingles, key)
            summaries.append(summary)
        else:
            report.skipped.append((path.name, result))
            log.warning("skipped seed %s: %s", path.name, result)
    return summaries


def convert_folder(seed_dir: Path, content_dir: Path, keep_edits: bool = False,
                   overwrite_edits: bool = False, seeds: list[Path] | None = None) -> Report:
    """Convert every seed of `seed_dir` into `content_dir/briefings/*.md`.

    Files are rewritten only when their text changes (so Pelican's cache stays warm), and
    generated files whose seed is gone are deleted. A generated file edited by hand raises
    EditedByHand, unless `keep_edits` (leave it) or `overwrite_edits` (replace it). `seeds`:
    seed_files(seed_dir), when the caller has it already.

    Two passes, so that a large folder is never all in memory: the first converts each seed
    (or finds it in the cache) and keeps a summary; slugs and duplicates are settled on the
    summaries; the second reads each briefing back from the cache and writes its files, unless
    they are still as an earlier run recorded writing them from the same inputs.
    """
    report = Report()
    overrides = load_overrides(seed_dir)
    cache = SeedCache(content_dir)
    seeds = seed_files(seed_dir) if seeds is None else seeds
    summaries = read_seeds(seeds, report, overrides, cache)
    seed_names = {path.name for path in seeds}
    report.warnings += [f"overrides: no seed named {name!r} in {seed_dir}" for name in sorted(overrides)
                        if name not in seed_names]
    slug_memo = set_slugs(summaries, cache.memo("slug"))
    distinct = {name for name, override in overrides.items() if override.distinct}
    report.duplicates, verdicts = merge_duplicates(summaries, distinct, cache.memo("duplicate"))
    left_out = {duplicate.seed_name for duplicate in report.duplicates}
    report.warnings += [f"overrides for {d.seed_name} have no effect: it repeats {d.kept} "
                        "(put the corrections there, or set distinct = true to keep both)"
                        for d in report.duplicates if d.seed_name in overrides]
    settled = Settled(cache, overrides, report.duplicates)
    report.summaries = [s for s in summaries if s.seed_name not in left_out]
    report.briefings = StoredBriefings(report.summaries, settled.whole)
    planned = {markdown_name(s): s for s in report.summaries}
    generated = read_generated(content_dir, cache.files)
    left_alone = check_edits(content_dir, generated, planned, settled.whole, report, keep_edits,
                             overwrite_edits)
    to_render = set(planned) - left_alone
    written = write_briefings(content_dir, summaries, to_render, generated, settled, report)
    outputs = {seed_copy(s) for s in summaries} | set(planned) | left_alone
    delete_stale(content_dir, generated, outputs, report)
    cache.save({"written": written, "slug": slug_memo, "duplicate": verdicts, "files": cache.files.now})
    report.files_as_read = cache.files.sizes_and_times(report.touched)
    return report


class Settled:
    """What the first pass settled for each briefing besides its conversion: the editor's
    override, the slug (on the summary), the duplicates merged into it."""

    def __init__(self, cache: SeedCache, overrides: dict[str, Override], duplicates: list[Duplicate]):
        self.cache, self.overrides = cache, overrides
        self.stands_for: dict[str, list[Duplicate]] = {}  # by the seed name of the one kept
        for duplicate in duplicates:
            self.stands_for.setdefault(duplicate.kept, []).append(duplicate)

    def whole(self, summary: Summary) -> Briefing:
        """The briefing, read back from the seed cache and given what was settled."""
        briefing = self.cache.fetch(summary.key)
        apply_override(briefing, self.overrides.get(summary.seed_name, Override(summary.seed_name)))
        briefing.slug = summary.slug
        briefing.duplicates = list(self.stands_for.get(summary.seed_name, []))
        return briefing

    def made_of(self, summary: Summary) -> str:
        """A digest of what a briefing's Markdown is made of besides the converter (which is in
        the cache key): the seed, the editor's override, the slug, the duplicates merged into it."""
        inputs = (summary.key, self.overrides.get(summary.seed_name), summary.slug,
                  self.stands_for.get(summary.seed_name, []))
        return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()


def write_briefings(content_dir: Path, summaries: list[Summary], to_render: set[str],
                    generated: dict[str, str | None], settled: Settled, report: Report) -> dict[str, str]:
    """The second pass: each seed's plain-text copy, and the Markdown files named in
    `to_render`, written unless they are still what an earlier run recorded writing from the
    same inputs. What is recorded of each file written or left is returned, for the next run."""
    records = settled.cache.memo("written")
    written = {}
    progress = Progress("Writing briefings", len(summaries), file=sys.stderr)
    with Writers(report) as writers:
        for summary in summaries:
            progress.advance()
            briefing = None
            copy = seed_copy(summary)
            if still_written(f"{content_dir}/{copy}", records.get(copy), summary.key, settled.cache.files):
                written[copy] = records[copy]
            else:
                briefing = settled.whole(summary)
                text = "\ufeff" + briefing.seed_text  # BOM: read as UTF-8
                writers.write(content_dir / copy, text)
                written[copy] = copy_record(summary.key, text.encode("utf-8"))
            name = markdown_name(summary)
            if name not in to_render:
                continue
            inputs = settled.made_of(summary)
            if generated.get(name) and records.get(name) == f"{inputs} {generated[name]}":
                written[name] = records[name]  # that file is what rendering would give again
                continue
            briefing = briefing or settled.whole(summary)
            text = markdown.render(briefing, seed_copy(briefing))
            writers.write(content_dir / name, text)
            checksum_line = text.partition("\n")[0]
            written[name] = f"{inputs} {checksum_line}"
    return written


class Writers:
    """Files written by threads while the caller renders the next briefing: making a file is
    the system's work, which the threads do on the other core (1 ms a file on some disks). At
    most WRITES_AHEAD texts wait for a thread; an error writing one is raised by a later
    `write` or at the end, and each file written is counted in the report."""

    def __init__(self, report: Report):
        self.report = report
        self.threads = ThreadPoolExecutor(WRITING_THREADS)
        self.waiting: deque = deque()

    def write(self, path: Path, text: str) -> None:
        self.report.touched.add(str(path))
        self.waiting.append(self.threads.submit(write_output, path, text))
        while len(self.waiting) > WRITES_AHEAD:
            self.report.written += self.waiting.popleft().result()

    def __enter__(self) -> "Writers":
        return self

    def __exit__(self, error_type, *_) -> None:
        with self.threads:  # waits for every thread
            if error_type is None:
                self.report.written += sum(waiting.result() for waiting in self.waiting)


def set_slugs(summaries: list[Summary], memo: dict[str, str]) -> dict[str, str]:
    """Give each summary its slug; `memo` has the slug made from a title (and seed name) by
    earlier runs of this converter. The memo as it should be kept is returned."""
    wanted, used = {}, {}
    for summary in summaries:
        key = f"{converter_fingerprint()}\0{summary.title}\0{summary.seed_name}"
        if key not in memo:
            memo[key] = make_slug(summary.title, summary.seed_name)
        used[key] = wanted[summary.seed_name] = memo[key]
    slugs = unique_slugs(wanted)
    for summary in summaries:
        summary.slug = slugs[summary.seed_name]
    return used


def markdown_name(summary: Summary) -> str:
    """A briefing's Markdown file, relative to the content folder."""
    return f"{BRIEFINGS_DIR}/{summary.slug}.md"


def copy_record(key: str, data: bytes) -> str:
    """What is kept of a seed copy: the seed it was written from and a digest of its bytes."""
    return f"{key} {digest(data)}"


def still_written(path: str, recorded: str | None, key: str, files: FileStates) -> bool:
    """Whether a seed copy recorded as written from this seed still holds what was written."""
    if recorded is None or not recorded.startswith(key + " "):
        return False
    try:
        return f"{key} {files.result(path, digest)}" == recorded
    except OSError:
        return False


def seed_copy(briefing: Briefing | Summary) -> str:
    """The plain-text copy of a seed in the site, relative to the content folder."""
    return f"{SOURCES_DIR}/{briefing.slug}.txt"


def merge_duplicates(summaries: list[Summary], distinct: set[str], memo: dict[str, str]
                     ) -> tuple[list[Duplicate], dict[str, str]]:
    """Find repeated articles, each with where its seed's plain-text copy is. `memo` has the
    verdicts of earlier runs of this converter by seed name (see settle_duplicates): only seeds a
    change can reach are matched again. The memo as it should be kept is returned."""
    version = f"{converter_fingerprint()}\0"
    previous = {key[len(version):]: text for key, text in memo.items() if key.startswith(version)}
    duplicates, verdicts = settle_duplicates(summaries, distinct, previous)
    by_name = {s.seed_name: s for s in summaries}
    for duplicate in duplicates:
        duplicate.seed_copy = seed_copy(by_name[duplicate.seed_name])
    return duplicates, {version + name: text for name, text in verdicts.items()}


def read_generated(content_dir: Path, files: FileStates) -> dict[str, str | None]:
    """Markdown files this converter wrote earlier (they start with its checksum line), in name
    order and relative to the content folder, each with its checksum line, or None if it was
    edited by hand since."""
    folder = content_dir / BRIEFINGS_DIR
    if not folder.is_dir():
        return {}
    with os.scandir(folder) as entries:
        names = sorted(entry.name for entry in entries if entry.name.endswith(".md"))
    generated = {}
    for name in names:
        found = files.result(f"{folder}/{name}", generated_line)  # a string: 10,000 Paths cost 0.04 s
        if found:
            generated[f"{BRIEFINGS_DIR}/{name}"] = None if found == EDITED else found
    return generated


EDITED = "edited"  # generated_line's answer for a generated file edited by hand


def generated_line(data: bytes) -> str:
    """A Markdown file's checksum line if this converter wrote it as it is, EDITED if it wrote
    it and it was edited since, "" if it did not write it."""
    try:
        text, readable = data.decode("utf-8"), True
    except UnicodeDecodeError:  # check_edits reads it again and stops there
        text, readable = data.decode("utf-8", errors="replace"), False
    if not text.startswith(markdown.CHECKSUM_KEY + ":"):
        return ""
    return text.partition("\n")[0] if readable and not markdown.edited_by_hand(text) else EDITED


def check_edits(content_dir: Path, generated: dict[str, str | None], planned: dict[str, Summary],
                whole: Callable[[Summary], Briefing], report: Report, keep_edits: bool,
                overwrite_edits: bool) -> set[str]:
    """Generated files edited by hand since: raise, or the ones to leave as they are."""
    left_alone = set()
    for name in (name for name, checksum_line in generated.items() if checksum_line is None):
        path = content_dir / name
        existing = path.read_text("utf-8")
        if name in planned:
            briefing = whole(planned[name])
            if markdown.render(briefing, seed_copy(briefing)) == existing:
                continue
        if overwrite_edits:
            log.warning("overwriting hand edits in %s (--overwrite-edits)", path)
        elif keep_edits:
            report.kept_edits.append(str(path))
            left_alone.add(name)
        else:
            raise EditedByHand(
                f"{path} was edited by hand since it was generated; put the change in the "
                "overrides file, or run again with --keep-edits (leave it) or --overwrite-edits"
            )
    return left_alone


def write_output(path: Path, text: str) -> bool:
    """Write `text` to `path` (through a temporary file beside it) unless it holds it already;
    whether it was written."""
    if path.exists() and path.read_text("utf-8", errors="replace") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)
    return True


def delete_stale(content_dir: Path, generated: dict[str, str | None], outputs: set[str],
                 report: Report) -> None:
    """Remove generated briefings and seed copies whose seed is no longer in the folder."""
    stale = [name for name in generated if name not in outputs]
    sources = content_dir / SOURCES_DIR
    if sources.is_dir():
        with os.scandir(sources) as entries:
            stale += [f"{SOURCES_DIR}/{name}" for name in sorted(entry.name for entry in entries)
                      if name.endswith(".txt") and f"{SOURCES_DIR}/{name}" not in outputs]
    for name in stale:
        (content_dir / name).unlink()
        report.touched.add(str(content_dir / name))
        report.deleted += 1


def format_report(report: Report) -> list[str]:
    """One line per seed (converted, duplicate or skipped), then a summary."""
    lines = []
    for b in report.summaries:
        date = b.date.iso() if b.date else "undated"
        title = b.title if len(b.title) <= 60 else b.title[:57] + "..."
        edited = f"  edited={','.join(b.edited)}" if b.edited else ""
        genre = f"  genre={b.genre}" if b.genre else ""
        lines.append(f"  ok    {b.seed_name}  {date:<10}  {title!r}  source={b.source or '-'}  "
                     f"removed={b.removed}  warnings={len(b.warnings)}{genre}{edited}")
        lines += [f"        warning: {b.seed_name}: {warning}" for warning in b.warnings]
    for duplicate in report.duplicates:
        lines.append(f"  DUP   {duplicate.seed_name}  duplicate of {duplicate.kept} ({duplicate.reason})")
    for name, reason in report.skipped:
        lines.append(skipped_line(name, reason))
    lines += [f"  warning: {warning}" for warning in report.warnings]
    lines += [f"  kept hand edits in {path}" for path in report.kept_edits]
    seeds = len(report.summaries) + len(report.duplicates) + len(report.skipped)
    lines.append(
        f"{seeds} seeds: {len(report.summaries)} converted, {len(report.duplicates)} duplicates, "
        f"{len(report.skipped)} skipped, {report.warning_count} warnings, "
        f"{report.edited_count} with editor overrides; "
        f"{report.written} files written, {report.deleted} stale files deleted"
    )
    return lines
