"""The search index: words folded as the search page folds them, compact postings, every field
searched, and an index far smaller than the text it covers."""

import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT, SEEDS, build_site

from plugins.search_index import search_index
from plugins.search_index.search_index import (Postings, build_index, document, load_rules,
                                               text_size, tokens, write_script)

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican loads plugins: build_cache is top level

import build_cache.build_cache as build_cache  # noqa: E402

RULES = load_rules()


def decode(index: dict) -> dict[str, dict[int, int]]:
    """term → {document number: weight}, as theme/static/js/search.js reads it."""
    result = {}
    for term, postings in zip(index["terms"].split(" "), index["postings"]):
        number, entries = 0, {}
        for entry in postings.split(","):
            gap, _, weight = entry.partition(":")
            number += int(gap, 36)
            entries[number] = int(weight or "1", 36)
        result[term] = entries
    return result


@pytest.mark.parametrize("text, expected", [
    ("The Taliban's ČEO in Pešāwar", ["taliban", "ceo", "pesawar"]),
    ("US-Pakistan talks, 2021: a 5-point plan", ["us", "pakistan", "talks", "2021", "5", "point", "plan"]),
    ("snake_case ＦＵＬＬ width", ["snake", "case", "full", "width"]),
    ("پشاور پولیس", ["پشاور", "پولیس"]),
])
def test_tokens_are_folded_words_without_stopwords(text, expected):
    assert tokens(text, RULES) == expected


def test_postings_are_gaps_in_base_36_with_weights_above_one():
    postings = Postings()
    for number, weight in [(0, 1), (3, 9), (40, 1), (76, 40)]:
        postings.add(number, weight)
    assert str(postings) == "0,3:9,11,10:14"


def doc(url, title, body, tags=(), source="", entities=()):
    return {"url": url, "title": title, "date_label": "", "iso_date": "", "source": source,
            "tags": list(tags), "entities": list(entities), "paragraphs": [["p-1", body]]}


def test_titles_tags_entities_sources_and_bodies_are_all_searchable_title_first():
    docs = [doc("a.html", "Border crossing reopens", "Trucks queued at Torkham.", ["Torkham"]),
            doc("b.html", "Talks in Doha", "The border was quiet.", source="Dawn",
                entities=["Hafiz Gul Bahadur"])]
    terms = decode(build_index(docs, RULES))
    assert terms["border"][0] > terms["border"][1]  # a title word outranks a body word
    assert set(terms["torkham"]) == {0} and terms["torkham"][0] > terms["trucks"][0]
    assert set(terms["dawn"]) == {1} and set(terms["bahadur"]) == {1}
    assert "the" not in terms and "was" not in terms


def test_document_reads_paragraphs_and_names_from_a_briefing():
    article = SimpleNamespace(
        url="briefings/x.html", title="<span class=\"caps\">US</span> talks", plain_title="US talks",
        date_label="July 2021", iso_date="2021-07", source="Dawn",
        tags=[SimpleNamespace(name="Imran Khan")], entities=[SimpleNamespace(name="ISI")],
        content='<p id="p-1">(<span class="caps">US</span>) officials&nbsp;met.</p>\n<p id="p-2">Later.</p>')
    assert document(article) == {
        "url": "briefings/x.html", "title": "US talks", "date_label": "July 2021",
        "iso_date": "2021-07", "source": "Dawn", "tags": ["Imran Khan"], "entities": ["ISI"],
        "paragraphs": [["p-1", "(US) officials met."], ["p-2", "Later."]]}


def synthetic_briefings(count: int, seed: int = 5) -> list[dict]:
    """Briefings of news-like length whose words follow Zipf's law over a large vocabulary."""
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(3, 11)))
                         for _ in range(40000)})
    rng.shuffle(vocabulary)
    zipf = list(itertools.accumulate(1 / (rank + 1) ** 1.07 for rank in range(len(vocabulary))))

    def sentence():
        return " ".join(rng.choices(vocabulary, cum_weights=zipf, k=rng.randint(12, 30))).capitalize() + "."

    return [{**doc(f"briefings/b{n}.html", sentence()[:90], "", [w.title() for w in rng.sample(vocabulary, 5)],
                   rng.choice(["Dawn", "The Diplomat", "Al Jazeera"])),
             "paragraphs": [[f"p-{i}", " ".join(sentence() for _ in range(rng.randint(2, 4)))]
                            for i in range(1, rng.randint(8, 16))]}
            for n in range(count)]


def test_index_of_a_thousand_briefings_is_far_smaller_than_their_text(tmp_path):
    docs = synthetic_briefings(1000)
    size = write_script(tmp_path / "index.js", "BRIEFING_SEARCH", build_index(docs, RULES))
    text = text_size(docs)
    print(f"1,000 synthetic briefings: index {size / 1024:.0f} KB, text {text / 1024:.0f} KB")
    assert text > 4_000_000
    assert size < 0.35 * text


def test_built_site_index_covers_every_briefing_and_the_build_reports_its_size(tmp_path):
    result = build_site(SEEDS, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Search index: 5 briefings," in result.stdout and "KB" in result.stdout
    script = (tmp_path / "output" / "search" / "index.js").read_text("utf-8")
    assert script.startswith("window.BRIEFING_SEARCH={") and script.endswith("};\n")
    index = json.loads(script.removeprefix("window.BRIEFING_SEARCH=").removesuffix(";\n"))
    assert len(index["docs"]) == 5
    terms = decode(index)
    undated = next(i for i, d in enumerate(index["docs"]) if d[2] == "Undated")
    assert undated in terms["diplomat"]  # its source
    assert len(terms["taliban"]) >= 3
    for number in range(5):
        doc_script = (tmp_path / "output" / "search" / "docs" / f"{number}.js").read_text("utf-8")
        assert doc_script.startswith(f"window.briefingSearchDoc&&window.briefingSearchDoc({number},")


def test_entities_from_the_context_are_searchable_for_the_briefings_that_mention_them():
    article = SimpleNamespace(url="briefings/x.html", title="Talks", content="<p>Met.</p>", tags=[])
    entity = SimpleNamespace(name="Hafiz Gul Bahadur", briefings=[article])
    from plugins.search_index.search_index import entities_by_url

    found = document(article, entities_by_url([entity]))
    assert found["entities"] == ["Hafiz Gul Bahadur"]
    assert 0 in decode(build_index([found], RULES))["bahadur"]


def briefing(name: str, text: str, title: str = "Talks") -> SimpleNamespace:
    return SimpleNamespace(url=f"briefings/{name}.html", title=title, tags=[],
                           content=f'<p id="p-1">{text}</p>')


def index_in(store, articles, folder: Path, in_child: bool = False) -> dict:
    """The index of `articles` written with the store's sidecar, as the build's job does it
    (in a forked process if asked: the sidecar's records must come back to the store)."""
    sidecar = store.sidecar()
    folder.mkdir(exist_ok=True)

    def job():
        entries = search_index.written_documents(articles, {}, RULES, sidecar, folder, [])
        write_script(folder / "index.js", "BRIEFING_SEARCH", search_index.index_of(entries, RULES))
        sidecar.finish()

    if in_child:
        pid = os.fork()
        if pid == 0:
            job()
            os._exit(0)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    else:
        job()
    store.save()
    return json.loads((folder / "index.js").read_text("utf-8").removeprefix(
        "window.BRIEFING_SEARCH=").removesuffix(";\n"))


def test_a_briefing_is_indexed_again_only_when_its_text_or_title_changed(tmp_path, monkeypatch):
    log = tmp_path / "computed"  # written by the forked process too
    original = search_index.indexed

    def indexed(doc, rules):
        with open(log, "a", encoding="utf-8") as file:
            file.write(doc["url"] + "\n")
        return original(doc, rules)

    def computed() -> list[str]:
        urls = log.read_text("utf-8").split() if log.exists() else []
        log.unlink(missing_ok=True)
        return urls

    monkeypatch.setattr(search_index, "indexed", indexed)
    cache = tmp_path / "cache"
    first = [briefing("a", "Border crossing reopens."), briefing("b", "Talks in Doha.")]
    index_in(build_cache.Store(cache, "salt"), first, tmp_path / "one", in_child=True)
    assert computed() == ["briefings/a.html", "briefings/b.html"]

    index_in(build_cache.Store(cache, "salt"), first, tmp_path / "again", in_child=True)
    assert computed() == []

    edited = [briefing("a", "Quokkas convened at Torkham."), briefing("b", "Talks in Doha.", "Quiet")]
    warm = index_in(build_cache.Store(cache, "salt"), edited, tmp_path / "two", in_child=True)
    assert computed() == ["briefings/a.html", "briefings/b.html"]  # a new text, a new title
    assert warm == build_index([document(article) for article in edited], RULES)
    terms = decode(warm)
    assert 0 in terms["quokkas"] and "crossing" not in terms and 1 in terms["quiet"]
    assert (tmp_path / "two" / "0.js").read_text("utf-8") == (
        'window.briefingSearchDoc&&window.briefingSearchDoc(0,[["p-1","Quokkas convened at Torkham."]]);\n')

    # entries found or made in the forked process were kept by the build
    index_in(build_cache.Store(cache, "salt"), edited[::-1], tmp_path / "three")
    assert computed() == []


def test_a_rebuild_with_the_cache_warm_writes_the_search_files_a_cold_build_writes(tmp_path):
    """Pelican itself, with every plugin: one briefing's text and another's title edited after
    a build."""
    assert build_site(SEEDS, tmp_path).returncode == 0
    content = tmp_path / "content"
    first, second = sorted((content / "briefings").glob("*.md"))[:2]
    first.write_text(re.sub(r'<p id="p-1">.*?</p>', '<p id="p-1">Quokkas convened at Torkham.</p>',
                            first.read_text("utf-8"), count=1, flags=re.S), "utf-8")
    second.write_text(re.sub(r"^Title: .*$", "Title: Wombat summit", second.read_text("utf-8"),
                             count=1, flags=re.M), "utf-8")

    def build(output: str, cache: Path) -> Path:
        subprocess.run([sys.executable, "-m", "pelican", str(content), "-o", str(tmp_path / output),
                        "-s", "pelicanconf.py", "-e", f'BUILD_CACHE_PATH="{cache}"'],
                       cwd=ROOT, check=True, capture_output=True)
        return tmp_path / output / "search"

    warm, cold = build("warm", content / ".cache"), build("cold", tmp_path / "empty-cache")
    files = sorted(path.relative_to(cold) for path in cold.rglob("*.js"))
    assert files == sorted(path.relative_to(warm) for path in warm.rglob("*.js"))
    assert all((warm / name).read_bytes() == (cold / name).read_bytes() for name in files)
    index = json.loads((warm / "index.js").read_text("utf-8").removeprefix(
        "window.BRIEFING_SEARCH=").removesuffix(";\n"))
    terms, titles = decode(index), [row[1] for row in index["docs"]]
    assert "Wombat summit" in titles and titles.index("Wombat summit") in terms["wombat"]
    assert len(terms["quokkas"]) == 1


def test_the_job_does_not_wait_for_a_build_whose_transaction_holds_the_cache(tmp_path):
    """A build from nothing writes so many entries that its transaction spills into the file
    and locks readers out until it commits, after the job: the job computes instead."""
    store = build_cache.Store(tmp_path, "salt")
    store.db.execute("BEGIN EXCLUSIVE")
    sidecar = store.sidecar()
    started = time.monotonic()
    values = [sidecar.remember(sidecar.key("test", number), lambda n=number: n) for number in range(3)]
    assert values == [0, 1, 2] and time.monotonic() - started < 1
    sidecar.finish()
    store.save()
    assert build_cache.Store(tmp_path, "salt").get(sidecar.key("test", 2)) == 2
