"""`make devserver`'s preview: the last build's keeper (plugins/preview) writes the page of a
briefing whose text alone changed before the whole site is built again, byte for byte the page
that build writes, and says why not for any other change."""

import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS, built_output

sys.path.insert(0, str(ROOT / "scripts"))

import convert  # noqa: E402
import devserver  # noqa: E402
from briefing.preview import Keeper  # noqa: E402
from briefing.up_to_date import BuildStamp  # noqa: E402
from test_devserver import base_url, builds_done, eventually, start, started, stopped  # noqa: E402

TEXT_ONLY = "\nThe ministry later corrected the figure in a statement.\n"


def seed_folder(tmp_path: Path) -> Path:
    """tmp_path/seeds, holding the project's five seeds."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, seeds)
    return seeds


def process_status(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state, parent …); [] if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    status = process_status(pid)
    return bool(status) and status[0] not in {"Z", "X"}


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    seed_folder(tmp_path)
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")
    return tmp_path


def arguments(workdir: Path):
    return devserver.parse_args([str(workdir / "seeds"), str(workdir / "content"), str(workdir / "output"),
                                 "-s", str(ROOT / "pelicanconf.py")])


def kept_build(args) -> Keeper:
    """Convert and build as the devserver does, leaving a keeper."""
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    keeper = Keeper()
    status, _ = devserver.forked(devserver.build_here, args, keeper)
    keeper.build_started()
    assert status == 0
    assert keeper.wait_ready(), "the build left no keeper"
    return keeper


def edited(seed: Path, old: str, new: str) -> None:
    text = seed.read_text("utf-8")
    assert old in text
    seed.write_text(text.replace(old, new, 1), "utf-8")


def test_a_text_edit_is_previewed_as_the_whole_build_writes_it(workdir):
    args = arguments(workdir)
    keeper = kept_build(args)
    try:
        seed = sorted((workdir / "seeds").glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer.get("reason") is None, answer
    written = answer["written"]
    assert [name for name in written if name.endswith(".html")] == [
        "briefings/us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.html"]
    assert [name for name in written if name.startswith("sources/")] == [
        "sources/us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.txt"]
    previewed = {name: (args.output_dir / name).read_bytes() for name in written}
    assert b"corrected the figure" in previewed[written[0]]
    whole = built_output(args.seed_dir, workdir / "whole")
    assert {name: (whole / name).read_bytes() for name in written} == previewed
    assert eventually(lambda: not alive(keeper.pid), timeout=10), "the keeper did not end"


def test_the_build_after_a_preview_takes_the_other_pages_from_the_site(workdir):
    """The preview changed files of the built site; the next build must still find it as its
    last build left it but for those, and so take the unchanged pages from it."""
    args = arguments(workdir)
    keeper = kept_build(args)
    seed = sorted((workdir / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
    assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
    answer = keeper.preview(args.output_dir.resolve())
    keeper.close()
    devserver.record_preview(args.content_dir, args.output_dir.resolve(), answer["before"])
    stamp = BuildStamp(args.content_dir, args.output_dir.resolve(), args.settings, [])
    assert stamp.reusable_output() == args.output_dir.resolve()
    assert not stamp.site_is_current()  # its inputs changed: the build runs


@pytest.mark.parametrize(("change", "reason"), [
    (lambda seeds: edited(seeds[2], "date 2022-12-19", "date 2022-12-20"),
     "the metadata of briefings/us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.md changed"),
    (lambda seeds: shutil.copy(seeds[0], seeds[0].with_name("copy.txt")), "a file was added or deleted"),
    (lambda seeds: None, "no briefing changed"),
])
def test_any_other_change_is_not_previewed_and_says_why(workdir, change, reason):
    args = arguments(workdir)
    keeper = kept_build(args)
    page = args.output_dir / "briefings" / "us-is-back-in-pakistan-with-a-renewed-zeal-for-counterterrorism.html"
    before = page.read_bytes()
    try:
        change(sorted((workdir / "seeds").glob("*.txt")))
        assert devserver.forked(convert.main, devserver.convert_arguments(args))[0] == 0
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer == {"reason": reason, "seconds": answer["seconds"]}
    assert page.read_bytes() == before


def test_a_hand_written_pages_change_is_not_previewed(workdir):
    args = arguments(workdir)
    keeper = kept_build(args)
    try:
        about = next((workdir / "content" / "pages").glob("*.md"))
        about.write_text(about.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        answer = keeper.preview(args.output_dir.resolve())
    finally:
        keeper.close()
    assert answer["reason"] == f"pages/{about.name} changed, and it is not a briefing"


def test_the_devserver_previews_a_text_edit_then_builds_and_its_keepers_end_with_it(tmp_path):
    seeds = seed_folder(tmp_path)
    process, lines = start(tmp_path, seeds)
    seen: list[str] = []
    try:
        base_url(lines, seen)
        seed = sorted(seeds.glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
        edited(seed, "date 2022-12-19", "date 2022-12-20")
        assert eventually(lambda: builds_done(lines, seen, 3)), "".join(seen)
        copies = running_copies(tmp_path)
        keepers = [pid for pid in copies if pid != process.pid and parent(pid) not in copies]
        assert len(keepers) == 1, "one keeper waits: the last build's"
    finally:
        stopped(process, lines, seen)
    printed = "".join(seen)
    assert printed.count("[devserver] previewed briefings/us-is-back-in-pakistan-with-a-renewed-zeal-for-"
                         "counterterrorism.html in ") == 1, printed
    assert ("[devserver] no preview: the metadata of briefings/us-is-back-in-pakistan-with-a-renewed-zeal-"
            "for-counterterrorism.md changed") in printed
    assert printed.index("previewed") < printed.index("built in", printed.index("previewed"))
    assert eventually(lambda: not any(alive(pid) for pid in copies), timeout=10), "a process outlived the devserver"


def parent(pid: int) -> int | None:
    status = process_status(pid)
    return int(status[1]) if status else None


def running_copies(workdir: Path) -> list[int]:
    """The processes whose command line names `workdir` (the devserver and its forks)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(workdir).encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_a_devserver_started_on_an_up_to_date_site_previews_the_first_edit(tmp_path):
    """No build runs Pelican when the site is up to date, so none leaves a keeper: the
    devserver runs Pelican once more (taking every page) to have one."""
    seeds = seed_folder(tmp_path)
    built_output(seeds, tmp_path)  # make html into tmp_path/content and tmp_path/output
    process, lines = start(tmp_path, seeds)
    seen: list[str] = []
    try:
        base_url(lines, seen)
        seed = sorted(seeds.glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
    finally:
        stopped(process, lines, seen)
    printed = "".join(seen)
    assert "nothing changed since the last build" in printed
    assert "[devserver] reading the site once more" in printed
    assert "[devserver] previewed briefings/us-is-back-in-pakistan" in printed, printed


def test_no_preview_leaves_no_keeper(tmp_path):
    seeds = seed_folder(tmp_path)
    process, lines = started([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s",
                              str(ROOT / "pelicanconf.py"), "--port", "0", "--no-preview"])
    seen: list[str] = []
    try:
        base_url(lines, seen)
        copies = running_copies(tmp_path)
        assert [pid for pid in copies if parent(pid) not in copies] == [process.pid]  # no keeper
        seed = sorted(seeds.glob("*.txt"))[2]
        seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
    finally:
        stopped(process, lines, seen)
    assert "[devserver] previewed" not in "".join(seen) and "[devserver] no preview" not in "".join(seen)
