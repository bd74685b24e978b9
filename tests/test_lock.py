"""One conversion or build of a content folder at a time: a second run says it waits, and runs
once the first is done."""

import subprocess
import sys
import time

from conftest import ROOT, SEEDS

from briefing.lock import content_lock


def waits_then_runs(command: list[str], content) -> subprocess.CompletedProcess:
    """Run `command` while this process holds the content folder's lock: it must say that it
    waits and not finish; once the lock is let go, it must finish."""
    with content_lock(content, "test"):
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        waiting = process.stderr.readline()
        assert "is running (make devserver?): waiting for it to finish" in waiting, waiting
        time.sleep(1)
        assert process.poll() is None  # still waiting
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, out, waiting + err)


def test_a_conversion_waits_for_the_run_holding_the_content_folder(tmp_path):
    content = tmp_path / "content"
    result = waits_then_runs([sys.executable, "scripts/convert.py", str(SEEDS), str(content), "--quiet"],
                             content)
    assert result.returncode == 0, result.stderr
    assert len(list((content / "briefings").glob("*.md"))) == len(list(SEEDS.glob("*.txt")))


def test_a_build_waits_for_the_run_holding_the_content_folder(tmp_path):
    content, output = tmp_path / "content", tmp_path / "output"
    subprocess.run([sys.executable, "scripts/convert.py", str(SEEDS), str(content), "--quiet"], cwd=ROOT,
                   check=True, capture_output=True)
    result = waits_then_runs([sys.executable, "scripts/build.py", str(content), str(output),
                              "-s", "pelicanconf.py"], content)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / "index.html").is_file() and not (tmp_path / ".output.partial").exists()


def test_the_lock_is_let_go_when_a_run_fails(tmp_path):
    content = tmp_path / "content"
    try:
        with content_lock(content, "test"):
            raise RuntimeError("the run failed")
    except RuntimeError:
        pass
    result = subprocess.run([sys.executable, "scripts/convert.py", str(SEEDS), str(content), "--quiet"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "waiting" not in result.stderr
