"""The synthetic seed corpus: deterministic, stable by prefix, varied, and skewed like real news."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from briefing.corpus import (
    VOCABULARY,
    Writer,
    generate_corpus,
    load_world,
    make_article,
    rng_for,
    write_corpus,
)
from helpers import is_utf8

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_corpus.py"

DATE_SHAPES = {
    "date prefix": r"\A ?date \d{4}-\d\d-\d\d \S",
    "glued GMT": r"(?m)^\d\d:\d\d GMT\d{1,2} [A-Z][a-z]+ \d{4}$",
    "dotted GMT": r"(?m)^\d\d:\d\d GMT \d\d\.\d\d\.\d{4}$",
    "Published:": r"(?m)^Published: \d{1,2} [A-Z][a-z]+ \d{4}$",
    "Month D, YYYY": r"(?m)^[A-Z][a-z]+ \d{1,2}, \d{4}$",
}

SHAPES = {
    **DATE_SHAPES,
    "title – The Diplomat": r"(?m)^\S.* – The Diplomat$",
    "title | Al Jazeera": r"(?m)^\S.* \| Al Jazeera$",
    "title - Dawn": r"(?m)^\S.* - Dawn$",
    "FILE caption": r"(?m)^FILE – \S",
    "AP credit": r"(?m)^Credit: AP Photo/[^\n]+, FileAdvertisement$",
    "caption ending in an agency": r"(?m)^[^\n]+\. (Reuters|AFP|Associated Press)$",
    "Listen Live": r"(?m)^Listen Live$",
    "Get short URL": r"(?m)^ *Get short URL$",
    "section label": r"(?m)^Listen Live\n *[A-Z][\w &]+\n *Get short URL$",
    "newsletter prompt": r"(?m)^Weekly NewsletterN$",
    "subscription prompt": r"(?i)click here to subscribe|subscribe to read",
    "Community standardsDiscussion": r"(?m)^ *Community standardsDiscussion$",
    "related-headline run": r"\n\n\n( *[A-Z][^\n.]+\n){3}",
    "labelled related headline": r"(?m)^ *(Read more|READ MORE|Also read|Related|RELATED): [A-Z]",
    "tag line": r"(?m)^ *[A-Z][^.,\n]{1,40}(, [^.,\n]{1,40}){2,}$",
    "lone star": r"(?m)(^| )\*$",
    "indented paragraph": r"(?m)^    [A-Z][^\n]{80,}",
    "byline": r"(?m)^By [A-Z][a-z]+ [A-Z]",
    "mixed-case dateline":
        r"(?m)(^|\d )(Washington|Islamabad|Kabul|Peshawar|Karachi|Lahore|Quetta|New Delhi): [A-Z]",
    "upper-case dateline": r"(?m)(^|\d | {4})[A-Z]{4,}( [A-Z]+)?(:| -) [A-Z]",
    "On Month D,": r"\bOn [A-Z][a-z]+ \d{1,2}, ",
    "in Month YYYY": r"\bin (January|February|March|April|May|June|July|August|September"
                     r"|October|November|December) \d{4}\b",
    "on Weekday": r"\bon (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b",
}

# Shapes a few percent of seeds have: looked for in 1,000.
RARE_SHAPES = {
    "Washington: dateline": r"(?m)(^|\d )Washington: [A-Z]",
    "PESHAWAR: dateline": r"(?m)(^|\d )PESHAWAR: [A-Z]",
    "mojibake": "â€",
    "hard-wrapped paragraph": r"(?m)^[A-Za-z][^\n]{50,72}\n[a-z]",
}


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return text.replace("\r\n", "\n")


@pytest.fixture(scope="module")
def corpus100() -> list[tuple[str, bytes]]:
    return list(generate_corpus(100))


@pytest.fixture(scope="module")
def corpus1000() -> list[tuple[str, bytes]]:
    return list(generate_corpus(1000))


@pytest.fixture(scope="module")
def texts100(corpus100) -> list[str]:
    return [decode(data) for _, data in corpus100]


@pytest.fixture(scope="module")
def texts1000(corpus1000) -> list[str]:
    return [decode(data) for _, data in corpus1000]


def test_same_arguments_give_the_same_bytes():
    assert list(generate_corpus(30, seed=3)) == list(generate_corpus(30, seed=3))


def test_another_seed_gives_another_corpus():
    assert list(generate_corpus(5, seed=1)) != list(generate_corpus(5, seed=2))


def test_a_larger_corpus_starts_with_the_smaller_one(corpus100, corpus1000):
    assert corpus1000[:100] == corpus100


def test_names_are_numbered_and_hashed(corpus100):
    names = [name for name, _ in corpus100]
    assert names == sorted(names)
    assert all(re.fullmatch(r"\d{5}_[0-9a-f]{16}\.txt", name) for name in names)


def test_write_corpus_writes_n_files(tmp_path):
    assert write_corpus(25, tmp_path / "seeds") == 25
    written = sorted((tmp_path / "seeds").iterdir())
    assert [(p.name, p.read_bytes()) for p in written] == list(generate_corpus(25))


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_appears_in_100_seeds(texts100, shape):
    assert any(re.search(SHAPES[shape], text) for text in texts100), shape


@pytest.mark.parametrize("shape", RARE_SHAPES)
def test_rare_shapes_appear_in_1000_seeds(texts1000, shape):
    assert any(re.search(RARE_SHAPES[shape], text) for text in texts1000), shape


def test_some_seeds_have_no_date(texts100):
    undated = [t for t in texts100 if not any(re.search(p, t) for p in DATE_SHAPES.values())]
    assert undated


def test_some_seeds_are_cp1252_and_some_use_crlf(corpus100):
    cp1252 = [data for _, data in corpus100 if not is_utf8(data)]
    assert cp1252 and all(b"\x93" in data or b"\x94" in data or b"\x96" in data for data in cp1252)
    assert any(b"\r\n" in data for _, data in corpus100)


def test_some_seeds_are_duplicates(corpus1000):
    bodies = [data for _, data in corpus1000]
    assert len(set(bodies)) < len(bodies)


def test_each_seed_has_300_to_900_words(texts1000):
    counts = [len(text.split()) for text in texts1000]
    assert min(counts) >= 300 and max(counts) <= 900


def test_each_article_has_4_to_12_paragraphs_and_dates_from_2019_to_2024():
    world = load_world()
    articles = [make_article(world, rng_for(0, i, "article")) for i in range(200)]
    assert all(4 <= len(a.paragraphs) <= 12 for a in articles)
    assert {a.published.year for a in articles} == set(range(2019, 2025))


def test_actor_frequency_is_skewed_like_zipf(texts1000):
    data = load_world().data
    names = [entry["name"] for table in ("people", "orgs", "countries", "cities", "regions")
             for entry in data[table]]
    seeds_naming = sorted((sum(name in text for text in texts1000) for name in names), reverse=True)
    median = statistics.median(seeds_naming)
    assert seeds_naming[0] >= 500, "the most common actor is in most seeds"
    assert seeds_naming[0] >= 20 * median, "and in far more seeds than the median actor"
    assert sum(count < 50 for count in seeds_naming) > len(names) / 2, "most actors are rare"


def test_every_template_fills_in_every_topic():
    world = load_world()
    templates = world.data["templates"]
    for topic in world.data["topics"]:
        writer = Writer(rng_for(0, 0, topic["key"]), world, topic, date(2022, 6, 15))
        for group in [*templates.values(), topic["sentence"], topic["headline"]]:
            for template in group:
                text = writer.fill(template)
                assert "{" not in text and "}" not in text, template


def test_vocabulary_can_be_written_as_cp1252():
    VOCABULARY.read_text(encoding="utf-8").encode("cp1252")


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd="/", timeout=120)


def test_script_help_has_an_example():
    result = run_script("--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and "make_corpus.py 1000" in result.stdout


def test_script_writes_the_corpus_and_reports_progress(tmp_path):
    result = run_script("1000", str(tmp_path / "out"), "--seed", "0")
    assert result.returncode == 0, result.stderr
    assert "1,000/1,000 seeds written" in result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 1000


def test_script_refuses_a_non_empty_folder_unless_forced(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    refused = run_script("3", str(tmp_path))
    assert refused.returncode != 0
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    forced = run_script("3", str(tmp_path), "--force")
    assert forced.returncode == 0
    assert len(list(tmp_path.iterdir())) == 4
