"""`make devserver`: the site served on 127.0.0.1, rebuilt when a clipping is dropped into the seed
folder, in forks of a warm process that write what `make html` writes."""

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, SEEDS, built_output

sys.path.insert(0, str(ROOT / "scripts"))

import devserver  # noqa: E402
from briefing.benchmark import interruptible  # noqa: E402
from briefing.progress import read_built_report  # noqa: E402

SERVING = re.compile(r"on (http://127\.0\.0\.1:\d+/)")


def start(tmp_path, seeds):
    """`make devserver` on `seeds`, into tmp_path's content and output folders."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    return started(["make", "--no-print-directory", "-C", str(ROOT), "devserver", f"SEEDDIR={seeds}",
                    f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}", "PORT=0"])


def started(command: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None):
    """A devserver process in a session of its own, and a queue of the lines it prints. It stops
    on SIGINT even when the tests run as a background job, which ignores SIGINT."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True, preexec_fn=interruptible, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    return process, lines


def base_url(lines: queue.Queue, seen: list[str], timeout: float = 180) -> str:
    """The URL the devserver says it serves on, once its first build is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        found = SERVING.search(line)
        if found:
            return found.group(1)
    raise AssertionError("the devserver never said where it serves:\n" + "".join(seen))


def briefings_listed(base: str) -> int:
    """How many briefings the served home page says the site has ("3 briefings, from …")."""
    with urllib.request.urlopen(base + "index.html", timeout=10) as response:
        lede = BeautifulSoup(response.read(), "html.parser").select_one("p.lede")
    return int(lede.get_text().split()[0])


def eventually(condition, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_the_devserver_serves_the_site_and_builds_a_clipping_dropped_into_the_seed_folder(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    first, second, third = sorted(SEEDS.glob("*.txt"))[:3]
    for seed in (first, second):
        shutil.copy(seed, seeds)
    process, lines = start(tmp_path, seeds)
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        assert briefings_listed(base) == 2
        shutil.copy(third, seeds)
        assert eventually(lambda: briefings_listed(base) == 3), "".join(seen)
        (seeds / "empty.txt").write_text("", "utf-8")  # a broken seed: skipped, the site still served
        assert eventually(lambda: any("SKIP  empty.txt" in line for line in drain(lines, seen))), "".join(seen)
        assert briefings_listed(base) == 3
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    drain(lines, seen)
    assert any("[devserver] stopped" in line for line in seen), "".join(seen)


def drain(lines: queue.Queue, seen: list[str]) -> list[str]:
    """The lines printed since the last look (also kept in `seen`)."""
    new = []
    while True:
        try:
            new.append(lines.get_nowait())
        except queue.Empty:
            seen.extend(new)
            return new


def builds_done(lines: queue.Queue, seen: list[str], count: int) -> bool:
    drain(lines, seen)
    return sum("[devserver] built in" in line for line in seen) >= count


def stopped(process, lines: queue.Queue, seen: list[str]) -> None:
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=30)
    drain(lines, seen)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_a_warm_rebuild_writes_what_make_html_writes_and_the_server_ends_with_it(tmp_path):
    """The devserver's first build and its rebuild after an edit run in forks of a process that
    imported the converter, Pelican and the plugins; its site must be the one `make html`
    builds from the same seeds, byte for byte. Each build says what it cost."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, seeds)
    for workdir in ("warm", "cold"):  # a briefing written by hand, whose build logs a warning
        (tmp_path / workdir / "content" / "briefings").mkdir(parents=True)
        (tmp_path / workdir / "content" / "briefings" / "by-hand.md").write_text(
            "Title: Written by hand\nDate: 2022-03-04\nJsonld: {}\n\nA briefing an editor wrote.\n", "utf-8")
    process, lines = start(tmp_path / "warm", seeds)
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        edited = sorted(seeds.glob("*.txt"))[2]
        edited.write_text(edited.read_text("utf-8") + "\nOfficials in Kabul later denied the report.\n", "utf-8")
        assert eventually(lambda: builds_done(lines, seen, 2)), "".join(seen)
        # the last site, swapped out, is deleted once the rebuild is reported
        assert eventually(lambda: not (tmp_path / "warm" / ".output.old").exists(), timeout=30)
    finally:
        stopped(process, lines, seen)
    printed = "".join(seen)
    costs = [read_built_report(line) for line in seen if "[devserver] built in" in line]
    assert costs and all(seconds > 0 and cpu > 0 and megabytes > 10 for seconds, cpu, megabytes in costs)
    # Pelican's log in the fork is what build.py reads, though the converter set logging up before
    assert printed.count("1 problem(s) logged by the build:") == 2
    assert printed.count("by-hand.md: its 'Jsonld' metadata line is ignored") >= 4, printed
    with pytest.raises(urllib.error.URLError):  # the server's process ended with the devserver
        urllib.request.urlopen(base, timeout=5)
    warm = tree(tmp_path / "warm" / "output")
    cold = tree(built_output(seeds, tmp_path / "cold"))
    assert warm.keys() == cold.keys()
    assert [name for name in warm if warm[name] != cold[name]] == []
    assert any(b"Officials in Kabul later denied the report." in data for data in warm.values())


def test_a_change_to_the_code_starts_the_devserver_again_on_the_same_port(tmp_path):
    """A warm process keeps the code it imported: when the converter's code changes (here a
    copy of the project's), it starts itself again and serves the site where it was."""
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "output", "public", ".cache", "__pycache__", "*.zip",
        "briefings", "sources"))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed, seeds)
    process, lines = started([sys.executable, str(project / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s", "pelicanconf.py",
                              "--port", "0", "--interval", "0.3"], cwd=project)
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        with open(project / "briefing" / "periods.py", "a", encoding="utf-8") as file:
            file.write("\n# a change to the code\n")
        assert eventually(lambda: any(") changed: starting again" in line for line in drain(lines, seen))), \
            "".join(seen)
        assert base_url(lines, seen) == base
        assert briefings_listed(base) == 2
    finally:
        stopped(process, lines, seen)


def test_a_saved_seed_is_built_at_once_not_at_the_next_look(tmp_path):
    """The system tells the devserver of a change (briefing/file_watch.py): though it looks at
    the settings once a minute and at every file once in ten here, a seed dropped in, or a page
    written in the content folder the first build made, is built within seconds."""
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(first, seeds)
    process, lines = started([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s", "pelicanconf.py",
                              "--port", "0", "--interval", "60", "--rescan", "600"])
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        shutil.copy(second, seeds)
        assert eventually(lambda: briefings_listed(base) == 2, timeout=45), "".join(seen)
        (tmp_path / "content" / "pages").mkdir(exist_ok=True)
        (tmp_path / "content" / "pages" / "notes.md").write_text("Title: Desk notes\n\nWho checks what.\n", "utf-8")
        # the page, then the build's report: it comes once the build is done, after the page
        assert eventually(lambda: (tmp_path / "output" / "pages" / "desk-notes.html").exists()
                          and builds_done(lines, seen, 3), timeout=45), "".join(seen)
    finally:
        stopped(process, lines, seen)
    assert sum("[devserver] built in" in line for line in seen) == 3, "".join(seen)


def test_where_the_system_tells_nothing_every_file_is_looked_at_every_rescan(tmp_path):
    """A file system that tells of no change (here the watcher polls once in ten minutes):
    between two looks at every file (--rescan) the devserver looks only at the settings and
    packages, so a seed dropped in is built at the next rescan, not at the next interval."""
    first, second = sorted(SEEDS.glob("*.txt"))[:2]
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(first, seeds)
    silent = {**os.environ, "WATCHFILES_FORCE_POLLING": "1", "WATCHFILES_POLL_DELAY_MS": "600000"}
    process, lines = started([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s", "pelicanconf.py",
                              "--port", "0", "--interval", "0.2", "--rescan", "12"], env=silent)
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        shutil.copy(second, seeds)
        dropped = time.monotonic()
        time.sleep(3)
        assert briefings_listed(base) == 1  # fifteen intervals later: not looked at yet
        assert eventually(lambda: briefings_listed(base) == 2, timeout=60), "".join(seen)
        assert time.monotonic() - dropped > 4
    finally:
        stopped(process, lines, seen)


def test_between_rescans_only_the_settings_and_packages_are_looked_at(tmp_path):
    args = devserver.parse_args([str(tmp_path / "seeds"), str(tmp_path / "content"), str(tmp_path / "output"),
                                 "-s", str(ROOT / "pelicanconf.py")])
    (tmp_path / "seeds").mkdir()
    whole = devserver.signature(args)
    (tmp_path / "seeds" / "new.txt").write_text("A clipping.\n", "utf-8")
    assert devserver.signature(args, whole) == whole  # the folders' part is taken from the last look
    assert devserver.signature(args) != whole
    assert str(ROOT / "pelicanconf.py") in devserver.other_files(args)
    assert str(tmp_path / "seeds" / "new.txt") in devserver.folder_files(args)


def test_restarting_keeps_the_port_and_the_options():
    assert devserver.restart_arguments(["seeds", "content", "output", "-s", "pelicanconf.py", "--port", "0"],
                                       8123) == ["seeds", "content", "output", "-s", "pelicanconf.py",
                                                 "--port", "0", "--port", "8123"]
    assert devserver.restart_arguments(["seeds", "c", "o", "-s", "p.py", "--", "--verbose"], 8000) == [
        "seeds", "c", "o", "-s", "p.py", "--port", "8000", "--", "--verbose"]
    args = devserver.parse_args(devserver.restart_arguments(["s", "c", "o", "-s", "p.py", "--port", "0"], 8123))
    assert args.port == 8123


def test_a_cold_devserver_starts_every_step_in_a_new_python(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], seeds)
    process, lines = started([sys.executable, str(ROOT / "scripts" / "devserver.py"), str(seeds),
                              str(tmp_path / "content"), str(tmp_path / "output"), "-s", "pelicanconf.py",
                              "--port", "0", "--cold"])
    seen: list[str] = []
    try:
        base = base_url(lines, seen)
        assert briefings_listed(base) == 1
    finally:
        stopped(process, lines, seen)
    assert any("[devserver] built in" in line for line in seen), "".join(seen)


def test_installing_a_package_is_a_change_to_the_code(tmp_path, monkeypatch):
    """pip adds a dist-info folder (and removes one on an upgrade): a warm devserver, which keeps
    the packages it imported, must start again, and rebuild."""
    packages = tmp_path / "site-packages"
    packages.mkdir()
    monkeypatch.setattr(devserver, "package_folders", lambda: [str(packages)])
    args = devserver.parse_args([str(SEEDS), str(tmp_path / "content"), str(tmp_path / "output"),
                                 "-s", str(ROOT / "pelicanconf.py")])
    code, watched = devserver.code_signature(args), devserver.signature(args)
    time.sleep(0.01)
    (packages / "markdown-9.9.dist-info").mkdir()
    assert devserver.code_signature(args) != code
    assert devserver.signature(args) != watched


def test_the_folders_packages_are_installed_in_are_watched():
    import markdown

    folders = devserver.package_folders()
    assert any(Path(markdown.__file__).is_relative_to(folder) for folder in folders)


FORK_INTERRUPTED = """
import os, signal, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import devserver
signal.signal(signal.SIGINT, signal.default_int_handler)  # a background job ignores SIGINT
armed, written = [True], Path(sys.argv[2])

def interrupt_once():
    if armed:
        armed.clear()
        os.kill(os.getpid(), signal.SIGINT)

os.register_at_fork(after_in_parent=interrupt_once)  # the signal comes while the process forks
try:
    devserver.forked(lambda: (time.sleep(1), written.write_text("done")))
except KeyboardInterrupt:
    print("raised")
"""


def test_a_ctrl_c_while_the_warm_process_forks_is_raised_and_stops_the_fork(tmp_path):
    """A KeyboardInterrupt raised in a fork's own hooks (logging's) is printed and lost: the
    build server once went on serving after a client's Ctrl-C that came as it forked a build.
    Now it is raised once the fork is made, and the fork is stopped too (it never writes). Run
    in a Python of its own: forking this test runner, which has threads, could hang the fork."""
    written = tmp_path / "written"
    ran = subprocess.run([sys.executable, "-c", FORK_INTERRUPTED, str(ROOT / "scripts"), str(written)],
                         capture_output=True, text=True, timeout=60)
    assert ran.stdout.strip() == "raised", ran.stderr
    time.sleep(2)  # the fork would have written after 1 s
    assert not written.exists()
