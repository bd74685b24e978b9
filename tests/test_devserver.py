"""`make devserver`: the site served on 127.0.0.1, rebuilt when a clipping is dropped into the seed folder."""

import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
import urllib.request

from bs4 import BeautifulSoup
from conftest import ROOT, SEEDS

SERVING = re.compile(r"on (http://127\.0\.0\.1:\d+/)")


def start(tmp_path, seeds):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "devserver", f"SEEDDIR={seeds}",
         f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'output'}", "PORT=0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
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
