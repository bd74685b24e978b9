"""The speed-ups (caches, parallel rendering, linear taxonomies, URLs computed once) change
nothing in the site: same bytes as Pelican without them, and a rebuild after an edit gives the
site a build from nothing gives."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from pelican.settings import read_settings
from test_build import tree

from briefing.corpus import write_corpus

SPEED_PLUGINS = {"parallel_render", "build_cache", "linear_taxonomy", "frozen_urls", "lean_contents"}
SEEDS = 80  # more than the pools' thresholds, so the process pools run


def build(content: Path, output: Path, *pelican_args: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), str(content), str(output),
         "-s", str(ROOT / "pelicanconf.py"), "--", *pelican_args],
        capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    seeds = tmp_path_factory.mktemp("corpus") / "seeds"
    write_corpus(SEEDS, seeds)
    return seeds


@pytest.fixture(scope="module")
def fast_site(corpus, tmp_path_factory) -> Path:
    workdir = tmp_path_factory.mktemp("fast")
    result = build_site(corpus, workdir)
    assert result.returncode == 0, result.stderr
    (workdir / "make-html.log").write_text(result.stdout, "utf-8")
    return workdir


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="the process pools need two cores")
def test_a_build_from_nothing_says_what_it_is_doing(fast_site):
    """Reading and writing are most of a long build: each says how much it has to do."""
    log = (fast_site / "make-html.log").read_text("utf-8")
    assert re.search(r"^Reading \d+ files in \d+ processes: they are not in the build cache yet$", log, re.M)
    assert re.search(r"^Writing \d+ pages in \d+ processes$", log, re.M)


def test_the_speed_plugins_change_no_byte(fast_site, tmp_path):
    plugins = [name for name in read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
               if name not in SPEED_PLUGINS]
    content = tmp_path / "content"
    shutil.copytree(fast_site / "content", content, ignore=shutil.ignore_patterns(".cache"))
    build(content, tmp_path / "output", "-e", f"PLUGINS={json.dumps(plugins)}")
    fast = tree(fast_site / "output")
    assert len(fast) > 2 * SEEDS  # briefings, their seed copies, tag pages …
    assert tree(tmp_path / "output") == fast


def test_one_process_and_several_render_the_same_bytes(fast_site, tmp_path):
    build(fast_site / "content", tmp_path / "output", "-e", "RENDER_PROCESSES=1")
    assert tree(tmp_path / "output") == tree(fast_site / "output")


def test_a_rebuild_after_an_edit_equals_a_build_from_nothing(corpus, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(corpus, seeds)
    assert build_site(seeds, tmp_path / "incremental").returncode == 0
    assert (tmp_path / "incremental" / "content" / ".cache").is_dir()
    edited = sorted(seeds.iterdir())[SEEDS // 2]
    edited.write_bytes(edited.read_bytes().replace(b" the ", b" a ", 3)
                       + b"\nThe ministry later corrected the figure.\n")
    (seeds / sorted(p.name for p in seeds.iterdir())[0]).unlink()  # and one seed deleted
    assert build_site(seeds, tmp_path / "incremental").returncode == 0
    assert build_site(seeds, tmp_path / "fresh").returncode == 0
    incremental = tree(tmp_path / "incremental" / "output")
    assert incremental == tree(tmp_path / "fresh" / "output")
    assert any(b"The ministry later corrected the figure." in page for page in incremental.values())


def test_a_damaged_build_cache_only_costs_time(fast_site, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(fast_site / "content", content)
    damaged = [cache for cache in (content / ".cache").rglob("*") if cache.is_file()]
    assert any(cache.name == "page-keys.pickle" for cache in damaged)
    for cache in damaged:
        cache.write_bytes(b"damaged")
    build(content, tmp_path / "output")
    assert tree(tmp_path / "output") == tree(fast_site / "output")
