"""Is the built site (or the converted content) already what a run would give? Then skip it.

A build's result depends on its inputs only: the content folder, the settings files (and the
data files settings name, such as the gazetteer), the theme and plugin folders, the installed
packages and Pelican's options. After each successful build `scripts/build.py` records a
fingerprint of those inputs and a signature of the output folder (names, sizes, modification
times); when both still match, Pelican is not run at all and the site is left as it is. Anything
changed (a seed, a template, a setting, a package, a file in the output) means a build. When
only the content changed, the last output is offered to the build, which copies the pages whose
content did not change (`reusable_output`, plugins/parallel_render/reuse.py).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import runpy
import sys
from pathlib import Path

from . import theme_static
from .file_states import FileStates
from .file_states import digest as file_digest
from .imports import PACKAGE, closure, package_imports

CACHE_DIR = Path(".cache")  # in the content folder: what builds and conversions keep
SOURCE = Path(__file__)  # this module: part of the converter's stamp
INPUT_STATES = CACHE_DIR / "input-states.json"  # the content files' digests, by their states (file_states.py)
OUTPUT_RECORDS = CACHE_DIR / "outputs"  # a folder per output folder: its stamp, its page keys
LEGACY_RECORDS = ("build-stamp.json", "page-keys.pickle")  # in CACHE_DIR, before there was one per output folder
WATCHING_OPTIONS = {"-r", "--autoreload", "-l", "--listen"}  # these builds must run
# scripts/build.py tells Pelican's plugins the environment's fingerprint in this variable: what is
# kept under it (compiled templates: plugins/build_cache/templates.py) holds while it holds
BUILD_ENVIRONMENT_VARIABLE = "BRIEFING_BUILD_ENVIRONMENT"


def build_environment() -> str:
    """In a build that scripts/build.py runs, the fingerprint of its environment; else ''."""
    return os.environ.get(BUILD_ENVIRONMENT_VARIABLE, "")


def parse_with_pelican_args(parser, argv: list[str]):
    """`parser`'s arguments from `argv` up to `--`, with what follows it (options for pelican,
    which scripts/build.py passes on) as `pelican_args`."""
    own, extra = (argv[: argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    args = parser.parse_args(own)
    args.pelican_args = extra
    return args


def files_under(folder: Path, skip: set[str] = frozenset(), skip_top: set[str] = frozenset()):
    """(name relative to `folder`, path) of every file under it, in a stable order, but for the
    folders named in `skip` (at any depth) and `skip_top` (directly in `folder`). Plain
    strings: tens of thousands of Path objects cost more than the reading."""
    top = os.fspath(folder)
    start = len(os.path.join(top, ""))
    for root, dirs, files in os.walk(top):
        left_out = skip | skip_top if root == top else skip
        dirs[:] = sorted(d for d in dirs if d not in left_out and d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            yield path[start:], path


def hash_tree(digest, folder: Path, skip: set[str] = frozenset(), skip_top: set[str] = frozenset(),
              states: FileStates | None = None) -> None:
    """Names and digests of every file under `folder` (see files_under), in a stable order;
    with `states`, a file is read only if it changed since they were kept."""
    states = states if states is not None else FileStates({})
    for relative, path in files_under(folder, skip, skip_top):
        digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(states.result(path, file_digest).encode("ascii"))
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")


def read_settings(settings: Path) -> dict | None:
    """The settings' values (they may come from the environment, as SITEURL does), or None if
    the file cannot run: then Pelican will say why."""
    saved_path, saved_cwd = list(sys.path), os.getcwd()
    sys.path.insert(0, str(settings.parent))  # publishconf.py imports pelicanconf
    try:
        values = runpy.run_path(str(settings))
    except BaseException:  # noqa: BLE001  (publishconf.py exits without SITEURL)
        return None
    finally:
        sys.path[:] = saved_path
        os.chdir(saved_cwd)
    return {key: value for key, value in values.items() if key.isupper()}


def settings_folders(settings: Path, values: dict) -> list[Path]:
    """The theme and plugin folders the settings name (relative to the settings file)."""
    return folders_named(settings, [values.get("THEME", "")]) + plugin_folders(settings, values)


def plugin_folders(settings: Path, values: dict) -> list[Path]:
    """The plugin folders the settings name (PLUGIN_PATHS, relative to the settings file)."""
    return folders_named(settings, values.get("PLUGIN_PATHS", []))


def folders_named(settings: Path, names: list) -> list[Path]:
    """The folders `names` (relative to the settings file) that exist; an empty name, as a
    THEME the settings do not give, is no folder (not the settings' own)."""
    base = settings.parent
    return [base / name for name in names if isinstance(name, str) and name and (base / name).is_dir()]


def build_settings(settings: Path, pelican_args: list[str]) -> dict | None:
    """The settings' values as the build will have them (see with_options); None if the file
    cannot run."""
    values = read_settings(settings)
    return None if values is None else with_options(values, pelican_args)


def theme_inputs(settings: Path, values: dict) -> tuple[Path | None, list[str]]:
    """The theme folder, and the names of the folders in it that are the build's inputs rather
    than its environment: `templates` (each page's key holds the sources of the templates it
    is made from: plugins/parallel_render/reuse.py) and the folders of static files
    (THEME_STATIC_PATHS, with Pelican's default: CSS, scripts, images, copied to the site as
    they are; no page is made from them)."""
    themes = folders_named(settings, [values.get("THEME", "")])
    names = ["templates", *theme_static.setting(values, "THEME_STATIC_PATHS")]
    simple = [name for name in names if isinstance(name, str) and name and "/" not in name and name != ".."]
    return (themes[0], simple) if themes else (None, [])


def environment_fingerprint(settings: Path, pelican_args: list[str], values: dict | None = None) -> str:
    """A hash of everything the build reads but the content and the theme's templates and
    static files (those are in the inputs: see BuildStamp, theme_inputs): settings (and the
    data files they name), options, packages, plugins and what they use of the project's
    package (build_package_files); '' when it cannot be known. A page made in the last
    build's environment from the same values and templates is made alike. `values`: the
    settings' (build_settings), when the caller has them."""
    values = build_settings(settings, pelican_args) if values is None else values
    if values is None:
        return ""
    theme, inputs = theme_inputs(settings, values)
    digest = hashlib.blake2b()
    digest.update(repr(sorted(values.items())).encode("utf-8"))
    digest.update(json.dumps([sys.version, sorted(pelican_args)]).encode("utf-8"))
    digest.update("\n".join(installed_packages()).encode("utf-8"))
    for path in sorted(settings.parent.glob("*.py")):  # settings files import one another
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    for path in setting_files(settings, values):  # the gazetteer
        digest.update(str(path).encode("utf-8") + b"\0" + path.read_bytes())
    for folder in settings_folders(settings, values):
        digest.update(str(folder).encode("utf-8"))
        hash_tree(digest, folder, skip_top=set(inputs) if folder == theme else set())
    for path in build_package_files(settings, values):
        digest.update(str(path.relative_to(PACKAGE)).encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


@functools.cache
def installed_packages() -> tuple[str, ...]:
    """'name==version' of every installed package, read once a process (their metadata took
    0.04 s of every build's fingerprint). A process that outlives an install, the devserver,
    starts itself again when a package folder changes, before it builds."""
    from importlib.metadata import distributions  # noqa: PLC0415  (slow to load; the converter needs none)

    return tuple(sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions()))


def build_package_files(settings: Path, values: dict) -> list[Path]:
    """What the build runs or reads of this package: the modules the plugins and settings files
    import, directly or through another, and the data files (the plugins read some of them by
    path). The converter's own modules are not among them: what they change reaches the build
    through the briefings they write, page by page."""
    importers = [Path(path) for folder in plugin_folders(settings, values)
                 for _, path in files_under(folder) if path.endswith(".py")]
    importers += sorted(settings.parent.glob("*.py"))
    imported = closure([module for path in importers for module in package_imports(path)])
    return sorted(imported | {Path(path) for _, path in files_under(PACKAGE / "data")})


def with_options(values: dict, pelican_args: list[str]) -> dict:
    """The settings as Pelican's options change them: a theme given with -t (relative to the
    working folder), values given with -e (in JSON; a path relative to the settings file, as in
    the file). A theme or plugin folder named there is read by the build like the file's own."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-t", "--theme-path", dest="theme")
    parser.add_argument("-e", "--extra-settings", dest="overrides", nargs="*", default=[])
    options, _ = parser.parse_known_args(pelican_args)
    values = dict(values)
    for item in options.overrides:
        name, _, value = item.partition("=")
        with contextlib.suppress(ValueError):  # Pelican will say what is wrong with it
            values[name] = json.loads(value)
    if options.theme:
        values["THEME"] = os.path.abspath(os.path.expanduser(options.theme))
    return values


def setting_files(settings: Path, values: dict) -> list[Path]:
    """The files that settings name by their path."""
    named = (settings.parent / value for value in values.values() if isinstance(value, str) and value)
    return sorted({path for path in named if names_a_file(path)})


def names_a_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):  # a long or odd string that is no path (a site subtitle)
        return False


def inputs_fingerprint(input_dir: Path, environment: str, also: list[Path] = ()) -> str:
    """A hash of everything the build reads: its environment, the content folder and the
    folders `also` (the theme's templates and static files)."""
    if not environment:
        return ""
    digest = hashlib.blake2b(environment.encode("utf-8"))
    states = FileStates.load(input_dir / INPUT_STATES)  # 20,000 files at 10,000 seeds: read if changed
    hash_tree(digest, input_dir, skip={CACHE_DIR.name}, states=states)
    for folder in also:
        digest.update(str(folder).encode("utf-8", "surrogateescape"))
        hash_tree(digest, folder, states=states)
    states.save(input_dir / INPUT_STATES)
    return digest.hexdigest()


def theme_static_folders(settings: Path, values: dict) -> list[Path]:
    """The theme's folders of static files (THEME_STATIC_PATHS that are folders of the theme)."""
    theme, names = theme_inputs(settings, values)
    return [theme / name for name in names if name != "templates" and (theme / name).is_dir()] if theme else []


def with_static_files(pages_inputs: str, static_folders: list[Path]) -> str:
    """The inputs' fingerprint: that of what pages are made from, and the theme's static files."""
    if not pages_inputs:
        return ""
    digest = hashlib.blake2b(pages_inputs.encode("utf-8"))
    for folder in static_folders:
        digest.update(str(folder).encode("utf-8", "surrogateescape"))
        hash_tree(digest, folder)
    return digest.hexdigest()


def theme_page_folders(settings: Path, values: dict) -> list[Path]:
    """What pages are made from of the theme: its templates folder, and the folders of
    templates that override the theme's."""
    theme, _ = theme_inputs(settings, values)
    own = [theme / "templates"] if theme and (theme / "templates").is_dir() else []
    return own + override_folders(settings, values)


def override_folders(settings: Path, values: dict) -> list[Path]:
    """The folders of templates that override the theme's (THEME_TEMPLATES_OVERRIDES)."""
    return folders_named(settings, values.get("THEME_TEMPLATES_OVERRIDES", []))


def output_signature(output_dir: Path) -> str:
    """Names, sizes and modification times of the output files: cheap, and changes with any
    edit."""
    digest = hashlib.blake2b()
    for relative, path in files_under(output_dir):
        stat = os.stat(path)
        digest.update(signature_line(relative, stat.st_size, stat.st_mtime_ns))
    return digest.hexdigest()


def signature_line(relative: str, size: int, mtime: int) -> bytes:
    return f"{relative}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape")


def record_preview(input_dir: Path, output_dir: Path, before: dict[str, list | None],
                   finished: BuildInputs | None = None) -> None:
    """After a preview wrote some files of the built site (plugins/preview; `before`: their
    names with their state before it, size and modification time first, or None where there
    was none): if the last build's stamp held for the site before, it holds for it now. Its
    inputs are `finished` when the preview wrote all a build would have written, and the
    content files were as it read them from then until that fingerprint was taken (a file
    changed since, the next build sees); otherwise none, so the next build runs, and takes
    every page it can from this site."""
    path = output_records(input_dir, output_dir) / "stamp.json"
    try:
        recorded = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return
    states, now, before = [], hashlib.blake2b(), dict(before)
    for relative, file in files_under(output_dir):
        stat = os.stat(file)
        now.update(signature_line(relative, stat.st_size, stat.st_mtime_ns))
        states.append((relative, before.pop(relative, (stat.st_size, stat.st_mtime_ns))))
    if before:  # files the preview deleted, put back where they were
        states = sorted(states + list(before.items()), key=lambda item: walk_order(item[0]))
    was = hashlib.blake2b()
    for relative, state in states:
        if state is not None:
            was.update(signature_line(relative, state[0], state[1]))
    if not isinstance(recorded, dict) or recorded.get("output") != was.hexdigest():
        return
    holds = finished is not None and bool(finished.inputs) and recorded.get("environment") == finished.environment
    recorded.update(inputs=finished.inputs if holds else None, pages_inputs=finished.pages_inputs if holds else None,
                    output=now.hexdigest())
    try:
        path.write_text(json.dumps(recorded), "utf-8")
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)  # no stamp: the next build renders every page


def walk_order(relative: str) -> tuple:
    """A sort key that puts names relative to a folder in files_under's order: in each folder,
    its files, then its folders, each by name."""
    *folders, name = relative.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def output_records(input_dir: Path, output_dir: Path) -> Path:
    """Where what a build into `output_dir` leaves for the next one is kept: one folder per output
    folder, so that `make html` (output/) and `make publish` (public/) do not take each other's
    site for their own and render every page again after the other ran."""
    name = hashlib.blake2b(str(output_dir.resolve()).encode("utf-8", "surrogateescape"),
                           digest_size=8).hexdigest()
    return input_dir / OUTPUT_RECORDS / name


class BuildInputs:
    """What a build is made from, fingerprinted as its stamp records it: its environment and
    inputs (all but the theme's static files: `pages_inputs`)."""

    def __init__(self, input_dir: Path, settings: Path, pelican_args: list[str]):
        self.watching = bool(WATCHING_OPTIONS & set(pelican_args))
        settings = settings.resolve()
        values = None if self.watching else build_settings(settings, pelican_args)  # runs the file once
        self.values = values or {}
        self.theme = theme_inputs(settings, values)[0] if values else None
        self.environment = "" if values is None else environment_fingerprint(settings, pelican_args, values)
        page_folders = theme_page_folders(settings, values) if values else []
        static_folders = theme_static_folders(settings, values) if values else []
        self.pages_inputs = inputs_fingerprint(input_dir, self.environment, page_folders)  # all but static files
        self.inputs = with_static_files(self.pages_inputs, static_folders)


class BuildStamp(BuildInputs):
    def __init__(self, input_dir: Path, output_dir: Path, settings: Path, pelican_args: list[str],
                 inputs: BuildInputs | None = None):
        """`inputs`: the same inputs, fingerprinted already (make devserver's, taken while the
        keeper looked at the files)."""
        if inputs is None:
            super().__init__(input_dir, settings, pelican_args)
        else:
            vars(self).update(vars(inputs))
        self.path = output_records(input_dir, output_dir) / "stamp.json"
        self.output_dir = output_dir
        self.recorded = self.read()

    def read(self) -> dict:
        """What the last successful build recorded, if it had this build's environment (both
        uses need it: the inputs include it) and its output folder is as it left it."""
        if self.watching or not self.environment or not self.output_dir.is_dir():
            return {}
        try:
            recorded = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if (not isinstance(recorded, dict) or recorded.get("environment") != self.environment
                or recorded.get("output_dir") != str(self.output_dir)
                or recorded.get("output") != output_signature(self.output_dir)):
            return {}
        return recorded

    def site_is_current(self) -> bool:
        return bool(self.recorded) and self.recorded.get("inputs") == self.inputs

    def only_theme_static_changed(self) -> bool:
        """Whether only the theme's static files changed since the last build, and the site's
        copy of them holds nothing else: then a fresh copy of them is all the site needs
        (briefing/theme_static.py)."""
        recorded = self.recorded
        return (bool(recorded) and self.theme is not None and recorded.get("inputs") != self.inputs
                and recorded.get("pages_inputs") == self.pages_inputs
                and theme_static.holds_only(self.output_dir, self.values, recorded.get("static_files")))

    def reusable_output(self) -> Path | None:
        """The last build's output, when only the content has changed since: a page whose
        content did not change either can be copied from it (plugins/parallel_render/reuse.py)."""
        return self.output_dir if self.recorded else None

    def record(self) -> None:
        """After a successful build: remember what it was built from (and drop the records of
        builds older than OUTPUT_RECORDS, which no build reads)."""
        if self.watching or not self.inputs:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            static_files = theme_static.expected_files(self.theme, self.values) if self.theme else None
            self.path.write_text(json.dumps({
                "inputs": self.inputs, "pages_inputs": self.pages_inputs, "static_files": static_files,
                "environment": self.environment, "output_dir": str(self.output_dir),
                "output": output_signature(self.output_dir)}), "utf-8")
            for name in LEGACY_RECORDS:
                (self.path.parents[2] / name).unlink(missing_ok=True)
        except OSError:
            pass  # no stamp: the next build simply runs

    def forget(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass


CONVERT_STAMP = CACHE_DIR / "convert-stamp.json"


def files_signature(paths: list[Path] | list[str], known: dict[str, tuple[int, int]] | None = None) -> str:
    """Names, sizes and modification times of some files (a missing one counts too).
    `known`: the size and modification time of some of them (by path, as a string), as the
    caller read them: not looked at again."""
    known = known or {}
    digest = hashlib.blake2b()
    for path in paths:
        try:
            size, modified = known.get(path) or sizes_and_times(os.stat(path))
            digest.update(f"{path}\0{size}\0{modified}\n".encode("utf-8", "surrogateescape"))
        except OSError:
            digest.update(f"{path}\0missing\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def sizes_and_times(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_size, stat.st_mtime_ns


class ConvertStamp:
    """The converter's twin of BuildStamp: when the seed files (and the overrides file), the
    converter's own code and data, and the generated files are all as the last run left them,
    that run's report stands and nothing is converted again. A generated file edited by hand
    changes its signature, so the next run checks it as usual."""

    def __init__(self, seed_dir: Path, content_dir: Path, seeds: list[Path], converter: str):
        """`converter`: the converter's fingerprint (seed_cache.converter_fingerprint)."""
        self.path = content_dir / CONVERT_STAMP
        self.content_dir = content_dir
        # this module's code too: the converter's fingerprint leaves it out (seed_cache.NOT_CONVERSION)
        own_code = hashlib.blake2b(SOURCE.read_bytes()).hexdigest()
        self.inputs = files_signature(seeds + [seed_dir / "overrides.toml"]) + converter + own_code

    def generated_signature(self, known: dict[str, tuple[int, int]] | None = None) -> str:
        """The files of the generated folders, in path order (strings: sorting 20,000 Paths
        took 0.08 s). `known`: see files_signature."""
        paths = []
        for folder in (self.content_dir / "briefings", self.content_dir / "sources"):
            if folder.is_dir():
                paths += [f"{folder}/{name}" for name in sorted(os.listdir(folder))]
        return files_signature(paths, known)

    def recorded_report(self) -> dict | None:
        """The last run's report ({"lines": [...], "warnings": N}) if nothing changed since."""
        try:
            recorded = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if recorded.get("inputs") == self.inputs and recorded.get("generated") == self.generated_signature():
            return recorded.get("report")
        return None

    def record(self, lines: list[str], warnings: int, known: dict[str, tuple[int, int]] | None = None) -> None:
        """Keep the run's report with what it was made from. `known`: the generated files as
        the run read them and left them (see files_signature): at 10,000 seeds, 20,000 files not
        looked at again. A file changed since it was read then differs from its record, so the
        next run converts as usual: the safe side."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({"inputs": self.inputs, "generated": self.generated_signature(known),
                                             "report": {"lines": lines, "warnings": warnings}}), "utf-8")
        except OSError:
            pass  # no stamp: the next run converts as usual
