"""`make html` through the site's build server (scripts/make_html.py, scripts/build_server.py):
the same output, exit status and site as without one; the next edit to a briefing's text
finished without a build; a server that stops when asked, when idle, when interrupted, and
starts again when its code changes."""

import os
import queue
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, build_site, built_output
from test_devserver import base_url, eventually, start, started, stopped, tree
from test_preview import EDITED, TEXT_ONLY, edited, seed_folder

from briefing.benchmark import interruptible
from briefing.build_server import connected, peer, site_key
from briefing.lock import content_lock

MAKE_HTML = ROOT / "scripts" / "make_html.py"


@pytest.fixture
def workdir(tmp_path):
    """tmp_path with the five seeds and the About page; every build server started on it is
    stopped at the end."""
    seed_folder(tmp_path)
    shutil.copytree(ROOT / "content" / "pages", tmp_path / "content" / "pages")
    yield tmp_path
    for pid in servers(tmp_path):
        os.kill(pid, signal.SIGTERM)
    assert eventually(lambda: not servers(tmp_path), timeout=30), "a build server did not stop on SIGTERM"


def servers(workdir: Path) -> list[int]:
    """The build servers (and their keepers and builds, forks of theirs) whose site is in
    `workdir`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(b"build_server.py") for part in command) and str(workdir).encode() in b" ".join(command):
            found.append(int(entry.name))
    return found


def make_html(workdir: Path) -> subprocess.CompletedProcess:
    """`make html` with its build server, as a user runs it (the tests' default is none)."""
    return build_site(workdir / "seeds", workdir, "BUILD_SERVER=on")


def script(workdir: Path, *options: str, settings: Path = ROOT / "pelicanconf.py", env: dict | None = None):
    """scripts/make_html.py on workdir's folders."""
    return subprocess.run([sys.executable, str(MAKE_HTML), str(workdir / "seeds"), str(workdir / "content"),
                           str(workdir / "output"), "-s", str(settings), *options],
                          capture_output=True, text=True, check=False, cwd=ROOT, timeout=300,
                          env={**os.environ, **(env or {})})


def server_pid(workdir: Path, settings: Path = ROOT / "pelicanconf.py") -> int | None:
    """The process id of the server that listens for workdir's site, or None."""
    connection = connected(site_key(workdir / "seeds", workdir / "content", workdir / "output", settings, []))
    if connection is None:
        return None
    with connection:
        return peer(connection)[0]


def test_make_html_through_its_server_builds_what_make_html_without_one_builds(workdir, tmp_path_factory):
    first = make_html(workdir)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "[build server] starting one" in first.stdout
    assert "5 seeds: 5 converted" in first.stdout, "the converter's report did not reach make's output"
    assert "Done: Processed 5 articles" in first.stdout, "Pelican's report did not reach make's output"
    pid = server_pid(workdir)
    assert pid is not None, "make html left no server for the next one"

    again = make_html(workdir)
    assert "nothing changed since the last build" in again.stdout and again.returncode == 0
    seed = sorted((workdir / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
    text_edit = make_html(workdir)
    assert text_edit.returncode == 0, text_edit.stdout + text_edit.stderr
    assert f"[build server] wrote briefings/{EDITED}.html" in text_edit.stdout, text_edit.stdout[-3000:]  # the server says why not
    assert "nothing is left to build" in text_edit.stdout and "Done: Processed" not in text_edit.stdout
    assert server_pid(workdir) == pid, "the server did not stay for the next make html"
    assert tree(workdir / "output") == tree(built_output(workdir / "seeds", tmp_path_factory.mktemp("text")))

    edited(seed, "date 2022-12-19", "date 2022-12-20")
    metadata_edit = make_html(workdir)
    assert metadata_edit.returncode == 0, metadata_edit.stdout + metadata_edit.stderr
    assert "unchanged since the last build: taken from it" in metadata_edit.stdout  # a build ran
    assert tree(workdir / "output") == tree(built_output(workdir / "seeds", tmp_path_factory.mktemp("date")))


def test_a_seed_that_cannot_be_read_is_named_and_the_exit_status_is_as_without_a_server(workdir):
    (workdir / "seeds" / "broken.txt").write_bytes(b"\x00\x01\x02garbage\x00" * 64)
    served = script(workdir, "--server", "on")
    assert served.returncode == 0, served.stdout + served.stderr
    assert "SKIP" in served.stdout and "broken.txt" in served.stdout
    assert (workdir / "output" / "briefings" / f"{EDITED}.html").is_file()
    strict = script(workdir, "--server", "on", "--strict")
    assert strict.returncode == script(workdir, "--server", "off", "--strict").returncode == 1
    assert "broken.txt" in strict.stdout


def test_a_request_is_built_in_its_own_environment(workdir, tmp_path_factory):
    """publishconf.py reads SITEURL from the environment: the server's keeper, made by a build
    for one SITEURL, must not finish an edit for another."""
    settings = ROOT / "publishconf.py"
    first = script(workdir, "--server", "on", settings=settings, env={"SITEURL": "https://one.example.org"})
    assert first.returncode == 0, first.stdout + first.stderr
    seed = sorted((workdir / "seeds").glob("*.txt"))[2]
    seed.write_text(seed.read_text("utf-8") + TEXT_ONLY, "utf-8")
    other = script(workdir, "--server", "on", settings=settings, env={"SITEURL": "https://two.example.org"})
    assert other.returncode == 0, other.stdout + other.stderr
    assert "[build server] wrote" not in other.stdout
    cold = tmp_path_factory.mktemp("cold")
    shutil.copytree(workdir / "seeds", cold / "seeds")
    shutil.copytree(ROOT / "content" / "pages", cold / "content" / "pages")
    built = script(cold, "--server", "off", settings=settings, env={"SITEURL": "https://two.example.org"})
    assert built.returncode == 0, built.stdout + built.stderr
    assert tree(workdir / "output") == tree(cold / "output")


def test_a_server_whose_code_changed_gives_way_to_a_new_one(workdir):
    settings = workdir / "settings.py"  # its folder's *.py files are the server's code
    settings.write_text(f"import runpy\nglobals().update({{name: value for name, value in runpy.run_path("
                        f"{str(ROOT / 'pelicanconf.py')!r}).items() if name.isupper()}})\n"
                        f"THEME = {str(ROOT / 'theme')!r}\nPLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\n", "utf-8")
    assert script(workdir, "--server", "on", settings=settings).returncode == 0
    pid = server_pid(workdir, settings)
    settings.write_text(settings.read_text("utf-8") + "# changed\n", "utf-8")
    changed = script(workdir, "--server", "on", settings=settings)
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "the code it imported" in changed.stdout and "starting a new one" in changed.stdout
    assert server_pid(workdir, settings) not in (None, pid)
    assert eventually(lambda: pid not in servers(workdir), timeout=30), "the old server did not stop"


def test_the_server_stops_when_idle_when_asked_and_with_make_clean(workdir):
    assert script(workdir, "--server", "on", "--server-idle", "1").returncode == 0
    assert server_pid(workdir) is not None
    assert eventually(lambda: not servers(workdir), timeout=30), "the server outlived its idle time"

    assert make_html(workdir).returncode == 0 and server_pid(workdir) is not None
    stop = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "stop", f"SEEDDIR={workdir / 'seeds'}",
                           f"INPUTDIR={workdir / 'content'}", f"OUTPUTDIR={workdir / 'output'}"],
                          capture_output=True, text=True, check=False)
    assert stop.returncode == 0 and "stopped the build server" in stop.stdout, stop.stdout + stop.stderr
    assert eventually(lambda: not servers(workdir), timeout=30)
    nothing = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "stop", f"OUTPUTDIR={workdir / 'output'}"],
                             capture_output=True, text=True, check=False)
    assert nothing.returncode == 0 and "no build server serves" in nothing.stdout

    # make html was given its seeds and content, make stop only the output folder (the
    # Makefile's default SEEDDIR and INPUTDIR): the server of that folder stops all the same.
    assert make_html(workdir).returncode == 0 and server_pid(workdir) is not None
    by_output = subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), "stop",
                                f"OUTPUTDIR={workdir / 'output'}"], capture_output=True, text=True, check=False)
    assert by_output.returncode == 0 and "stopped the build server" in by_output.stdout, by_output.stdout
    assert f"its seeds: {(workdir / 'seeds').resolve()}" in by_output.stdout
    assert eventually(lambda: not servers(workdir), timeout=30)

    assert make_html(workdir).returncode == 0 and server_pid(workdir) is not None
    clean = build_site(workdir / "seeds", workdir, target="clean")
    assert clean.returncode == 0 and not (workdir / "output").exists()
    assert eventually(lambda: not servers(workdir), timeout=30), "make clean left the server running"


def test_make_devserver_takes_over_from_the_build_server_of_its_site(workdir):
    assert make_html(workdir).returncode == 0 and server_pid(workdir) is not None
    process, lines = start(workdir, workdir / "seeds")
    seen: list[str] = []
    try:
        base_url(lines, seen)
    finally:
        stopped(process, lines, seen)
    assert "[devserver] stopped the build server make html left for this site" in "".join(seen)
    assert server_pid(workdir) is None


def test_without_a_server_make_html_leaves_no_process_behind(workdir):
    for options in (["--server", "off"], ["--server", "auto"]):
        result = script(workdir, *options, env={"CI": "true"})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "[build server]" not in result.stdout
    assert servers(workdir) == [] and server_pid(workdir) is None


def client(workdir: Path) -> tuple[subprocess.Popen, queue.Queue]:
    """scripts/make_html.py through the site's server, running; a queue of the lines it prints
    (its errors too)."""
    return started([sys.executable, str(MAKE_HTML), str(workdir / "seeds"), str(workdir / "content"),
                    str(workdir / "output"), "-s", str(ROOT / "pelicanconf.py"), "--server", "on"])


def printed_until(lines: queue.Queue, text: str, timeout: float = 120) -> list[str]:
    """The lines printed up to the first that holds `text`."""
    printed: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            printed.append(lines.get(timeout=1))
        except queue.Empty:
            continue
        if text in printed[-1]:
            return printed
    raise AssertionError(f"never printed {text!r}:\n" + "".join(printed))


def building(workdir: Path) -> tuple[subprocess.Popen, list[str]]:
    """scripts/make_html.py through a new server, once the server's round has begun (the
    converter has reported); what it printed so far."""
    process, lines = client(workdir)
    return process, printed_until(lines, "5 seeds:")


def test_a_make_html_that_waits_for_its_server_says_so(workdir):
    assert script(workdir, "--server", "on").returncode == 0
    with content_lock(workdir / "content", "test"):  # the server's next converter waits for it
        first, first_lines = client(workdir)
        printed_until(first_lines, "another conversion or build", timeout=30)
        second, second_lines = client(workdir)
        printed_until(second_lines, "[build server] busy with earlier work", timeout=30)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0
    assert "nothing changed since the last build" in "".join(printed_until(second_lines, "[build server] built in"))
    third, third_lines = client(workdir)
    assert not any("busy" in line for line in printed_until(third_lines, "[build server] built in")), \
        "a make html to an idle server said that it waits"
    assert third.wait(timeout=60) == 0


def test_a_client_killed_while_the_server_builds_leaves_it_serving(workdir):
    process, _ = building(workdir)
    pid = server_pid(workdir)
    process.kill()
    process.wait(timeout=30)
    again = script(workdir, "--server", "on")
    assert again.returncode == 0, again.stdout + again.stderr
    assert server_pid(workdir) == pid and "starting one" not in again.stdout


def test_ctrl_c_stops_the_build_and_its_server(workdir):
    process, printed = building(workdir)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=60) == 130, "".join(printed)
    assert eventually(lambda: not servers(workdir), timeout=30), "the server and its build outlived Ctrl-C"
