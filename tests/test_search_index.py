"""The search index: words folded as the search page folds them, compact postings, every field
searched, and an index far smaller than the text it covers."""

import datetime
import itertools
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from conftest import ROOT, SEEDS, build_site
from pelican.settings import read_settings

from plugins.search_index import search_index
from plugins.search_index.search_index import (Postings, SearchFiles, build_index, changed_index_files, document,
                                               document_order, index_of, load_rules, read_postings, shard_file,
                                               spliced, text_size, tokens, updated_index, weighted_terms,
                                               write_index)

sys.path.insert(0, str(ROOT / "plugins"))  # as Pelican loads plugins: build_cache is top level

import build_cache.build_cache as build_cache  # noqa: E402
from parallel_render.reuse import Reuse  # noqa: E402

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
    size = write_index(tmp_path, build_index(docs, RULES))
    text = text_size(docs)
    print(f"1,000 synthetic briefings: index {size / 1024:.0f} KB, text {text / 1024:.0f} KB")
    assert text > 4_000_000
    assert size < 0.35 * text
    # what every search loads first holds no briefing's row: its size does not grow with them
    assert (tmp_path / "index.js").stat().st_size < 4096


def test_built_site_index_covers_every_briefing_and_the_build_reports_its_size(tmp_path):
    result = build_site(SEEDS, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Search index: 5 briefings," in result.stdout and "KB" in result.stdout
    index = written_index(tmp_path / "output" / "search")
    rows = written_rows(tmp_path / "output" / "search")
    assert index["count"] == len(rows) == 5
    terms = decode(index)
    undated = next(i for i, row in enumerate(rows) if row[2] == "Undated")
    assert rows[undated][4] == "The Diplomat" and undated in terms["diplomat"]  # its source
    assert len(terms["taliban"]) >= 3
    for url, *_ in rows:
        assert (tmp_path / "output" / url).is_file()


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


def read_script(path: Path, name: str):
    text = path.read_text("utf-8")
    assert text.startswith(f"window.{name}=") and text.endswith(";\n")
    return json.loads(text.removeprefix(f"window.{name}=").removesuffix(";\n"))


def written_rows(folder: Path) -> list[list[str]]:
    """What the search page shows of each document, from `folder`'s docs/N.js in order."""
    rows = []
    for number in range(len(list((folder / "docs").glob("*.js")))):
        script = (folder / "docs" / f"{number}.js").read_text("utf-8")
        call = f"window.briefingSearchDoc&&window.briefingSearchDoc({number},"
        assert script.startswith(call) and script.endswith(");\n")
        row, paragraphs = json.loads("[" + script.removeprefix(call).removesuffix(");\n") + "]")
        assert len(row) == 5 and all(len(paragraph) == 2 for paragraph in paragraphs)
        rows.append(row)
    return rows


def written_index(folder: Path) -> dict:
    """The index object written into `folder` (search/): index.js and the shards it names,
    each holding the words that start with its key."""
    head = read_script(folder / "index.js", "BRIEFING_SEARCH")
    assert sorted(head) == ["count", "min", "shards", "stop"]  # no rows: see written_rows
    keys = head["shards"].split(" ") if head["shards"] else []
    assert keys == sorted(keys) and sorted(p.name for p in (folder / "terms").glob("*.js")) == sorted(
        shard_file(key).removeprefix("terms/") for key in keys)
    postings = read_postings(folder)
    assert postings["shards"] == head["shards"]
    for term in postings["terms"].split(" ") if postings["terms"] else []:
        assert term[:2] in keys
    return {"count": head["count"], "terms": postings["terms"], "postings": postings["postings"],
            "stop": head["stop"], "min": head["min"]}


def index_in(store, articles, folder: Path, in_child: bool = False) -> dict:
    """The index of `articles` written with the store's sidecar, as the build's job does it
    (in a forked process if asked: the sidecar's records must come back to the store)."""
    sidecar = store.sidecar()

    def job():
        SearchFiles(folder, "search", RULES, sidecar, None).write(articles, {})
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
    return written_index(folder / "search")


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
    assert (tmp_path / "two" / "search" / "docs" / "0.js").read_text("utf-8") == (
        'window.briefingSearchDoc&&window.briefingSearchDoc(0,["briefings/a.html","Talks","","",""],'
        '[["p-1","Quokkas convened at Torkham."]]);\n')

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
    index = written_index(warm)
    terms, titles = decode(index), [row[1] for row in written_rows(warm)]
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


def test_documents_are_numbered_oldest_first_so_a_new_clipping_comes_last():
    """The undated (their date is far in the past) first; one date's briefings by URL, last
    first, since the search page ranks equal scores by the higher number."""
    def article(url, day):
        return SimpleNamespace(url=url, date=datetime.datetime(*day))

    articles = [article("b.html", (2021, 5, 1)), article("u.html", (1, 1, 1)), article("a.html", (2021, 5, 1)),
                article("new.html", (2024, 12, 14)), article("old.html", (2019, 1, 2))]
    assert [a.url for a in document_order(articles)] == ["u.html", "old.html", "b.html", "a.html", "new.html"]
    assert [a.url for a in document_order(articles[::-1])] == [a.url for a in document_order(articles)]


def test_an_updated_index_is_the_index_built_afresh():
    """Random documents, a few of them changed: the postings of the words they gained, lost
    or reweighted are updated; every other posting must stay as it was."""
    rng = random.Random(7)
    words = [f"w{n}" for n in range(60)]

    def weighted():
        return {word: rng.choice([1, 1, 2, 40, 1300]) for word in rng.sample(words, rng.randint(0, 12))}

    for _ in range(200):
        old = [weighted() for _ in range(rng.randint(1, 12))]
        new = list(old)
        for number in rng.sample(range(len(old)), rng.randint(1, len(old))):
            new[number] = weighted() if rng.random() < 0.7 else {**old[number], "w1": 3}
        changes = {n: (old[n], new[n]) for n in range(len(old)) if old[n] is not new[n]}
        index = json.loads(json.dumps(index_of(old, RULES)))
        assert updated_index(index, changes, len(old), RULES) == index_of(new, RULES)


def test_splicing_a_terms_postings_gives_what_encoding_them_afresh_gives():
    """Entries far apart (gaps and weights of one to three base-36 digits), some documents
    dropped, added or reweighted, at the start, in the middle and past the end."""
    rng = random.Random(11)

    def encoded(entries: dict[int, int]) -> str:
        postings = Postings()
        for number in sorted(entries):
            postings.add(number, entries[number])
        return str(postings)

    for _ in range(500):
        entries = {n: rng.choice([1, 1, 2, 35, 36, 1300]) for n in rng.sample(range(5000), rng.randint(0, 40))}
        numbers = sorted(set(rng.sample(range(5100), rng.randint(1, 6))) | set(rng.sample(sorted(entries) or [0], 1)))
        weights = {n: rng.choice([1, 3, 50000]) for n in numbers if rng.random() < 0.6}
        after = {n: w for n, w in entries.items() if n not in numbers} | weights
        assert spliced(encoded(entries), numbers, weights) == encoded(after)


def search_files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted((folder / "search").rglob("*.js"))}


class Builds:
    """The search job as a sequence of builds by scripts/build.py would run it: each into a
    fresh folder, offered the last one's output and the keys it recorded (kept only when the
    build succeeds), with one build cache; and each compared with a build from nothing."""

    def __init__(self, tmp_path: Path, monkeypatch):
        self.tmp, self.store_folder, self.keys = tmp_path, tmp_path / "cache", str(tmp_path / "keys.pickle")
        self.previous, self.count = None, 0
        self.updates, self.computed = [], []
        original_update, original_indexed = search_index.updated_index, search_index.indexed
        monkeypatch.setattr(search_index, "updated_index",
                            lambda *args: self.updates.append(len(args[1])) or original_update(*args))
        monkeypatch.setattr(search_index, "indexed",
                            lambda doc, rules: self.computed.append(doc["url"]) or original_indexed(doc, rules))

    def build(self, articles: list, fail: bool = False) -> Path:
        self.count += 1
        output = self.tmp / f"build{self.count}"
        reuse = Reuse({}, str(output), str(self.previous) if self.previous else None, self.keys)
        store = build_cache.Store(self.store_folder, "salt")
        sidecar = store.sidecar()
        self.updates.clear()
        self.computed.clear()
        self.job = SearchFiles(output, "search", RULES, sidecar, reuse)
        self.job.write(articles, {})
        sidecar.finish()
        if fail:  # scripts/build.py keeps neither the output nor the keys
            return output
        store.save()
        reuse.save()
        os.replace(self.keys + ".new", self.keys)
        self.previous = output
        fresh = self.tmp / f"fresh{self.count}"
        seen = list(self.updates), list(self.computed)
        SearchFiles(fresh, "search", RULES, None, None).write(articles, {})
        assert search_files(output) == search_files(fresh)
        self.updates[:], self.computed[:] = seen
        return output

    def linked(self, number: int) -> bool:
        return (self.previous / "search" / "docs" / f"{number}.js").stat().st_nlink > 1


def test_rebuilt_search_files_equal_a_build_from_nothing_after_every_kind_of_edit(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    articles = [briefing(f"b{n}", f"Briefing {n} on border trade number {n}.", f"Title {n}") for n in range(40)]
    builds.build(articles)
    assert len(builds.computed) == 40 and builds.updates == []

    # One text edited, a word dropped and one added: only its postings are updated, only its
    # entry computed, every other snippet brought over.
    articles[7] = briefing("b7", "Quokkas met at Torkham on trade.", "Title 7")
    builds.build(articles)
    assert builds.updates == [1] and builds.computed == ["briefings/b7.html"]
    assert not builds.linked(7) and all(builds.linked(n) for n in range(40) if n != 7)

    # Nothing changed for search: the index rewritten as it was, nothing computed.
    builds.build(articles)
    assert builds.updates == [0] and builds.computed == []

    # Titles changed (their rows too) and two briefings swap places (a date change).
    articles[3] = briefing("b3", "Briefing 3 on border trade number 3.", "Wombat summit")
    articles[10], articles[11] = articles[11], articles[10]
    builds.build(articles)
    assert builds.updates == [3] and sorted(builds.computed) == ["briefings/b3.html"]

    # A briefing added and one deleted: as many documents, all moved on by one from the first.
    articles = [briefing("new", "A new briefing on trade.")] + articles[:20] + articles[21:]
    builds.build(articles)
    assert builds.updates == [] and builds.computed == ["briefings/new.html"]
    assert not builds.linked(5) and builds.linked(39)

    # A briefing added after the last one (a new clipping: the search job numbers documents
    # oldest first): the others keep their numbers, the index is updated, every snippet kept.
    builds.build(articles + [briefing("last", "The last one on trade.")])
    assert builds.updates == [1] and builds.computed == ["briefings/last.html"]
    assert all(builds.linked(n) for n in range(40))
    # Then one fewer: numbers from then are gone, the index is built again.
    builds.build(articles)
    assert builds.updates == []

    # A briefing moved from the end to the front: more changed than an update is worth.
    articles = articles[-1:] + articles[:-1]
    builds.build(articles)
    assert builds.updates == [] and builds.computed == []


def test_a_failed_build_leaves_the_keys_of_the_last_good_one(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    articles = [briefing(f"b{n}", f"Briefing {n}.") for n in range(5)]
    builds.build(articles)
    builds.build([briefing("b0", "Changed, in a build that fails.")] + articles[1:], fail=True)
    builds.build(articles)
    assert builds.updates == [0] and builds.computed == []


def test_an_index_that_cannot_be_read_is_built_again(tmp_path, monkeypatch):
    builds = Builds(tmp_path, monkeypatch)
    articles = [briefing(f"b{n}", f"Briefing {n}.") for n in range(5)]
    builds.build(articles)
    (builds.previous / "search" / "index.js").write_text("window.BRIEFING_SEARCH={", "utf-8")
    articles[2] = briefing("b2", "Edited.")
    builds.build(articles)
    assert builds.updates == [] and builds.computed == ["briefings/b2.html"]
    assert builds.job.whole_because == "the last build's index could not be read"


def test_an_index_whose_entries_the_build_cache_cannot_give_is_built_again_and_says_why(
        tmp_path, monkeypatch):
    """The job reads the last build's entries through a connection of its own: a build that
    holds the cache file locked (build_cache.spill_after) gives it none."""
    builds = Builds(tmp_path, monkeypatch)
    articles = [briefing(f"b{n}", f"Briefing {n}.") for n in range(5)]
    builds.build(articles)
    assert builds.job.whole_because == ""
    articles[2] = briefing("b2", "Edited.")
    with monkeypatch.context() as locked:
        locked.setattr(build_cache.CommittedEntries, "get_many", lambda self, keys: {})
        builds.build(articles)
    assert builds.updates == [] and builds.job.whole_because.startswith("the entries of the changed")
    articles[3] = briefing("b3", "Edited too.")
    builds.build(articles)
    assert builds.updates == [1] and builds.job.whole_because == ""


def test_an_edit_to_a_documents_text_changes_only_the_files_of_its_changed_words(tmp_path):
    """make devserver's keeper (plugins/preview) updates the site's index in place: the files
    it is given are those a build from nothing writes differently, and only the shards of the
    words whose weight changed are read."""
    before = [doc("a.html", "Border talks", "Trucks waited at Torkham."),
              doc("b.html", "Trade resumes", "Quetta traders welcomed the decision.")]
    after = [before[0], doc("b.html", "Trade resumes", "Zhob traders welcomed the decision twice.")]
    site, whole = tmp_path / "site", tmp_path / "whole"
    write_index(site, build_index(before, RULES))
    write_index(whole, build_index(after, RULES))
    read = []
    real_read_text = Path.read_text
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_text", lambda path, *a: read.append(path.name) or real_read_text(path, *a))
        files = changed_index_files(site, {1: (dict(weighted_terms(before[1], RULES)),
                                               dict(weighted_terms(after[1], RULES)))}, 2, RULES)
    assert sorted(files) == ["index.js", "terms/qu.js", "terms/tw.js", "terms/zh.js"]
    assert files["terms/qu.js"] is None  # "quetta" was its only word
    assert read == ["qu.js"]  # of the shards, only those of the changed words (tw, zh: none yet)
    for name, script in files.items():
        if script is None:
            (site / name).unlink()
        else:
            (site / name).write_bytes(script)
    tree = {str(path.relative_to(site)): path.read_bytes() for path in site.rglob("*.js")}
    assert tree == {str(path.relative_to(whole)): path.read_bytes() for path in whole.rglob("*.js")}


def test_the_postings_are_read_back_from_the_shards_whatever_the_words_and_titles_hold(tmp_path):
    docs = [doc("a.html", 'Talks: ,"shards":"x","postings":["1"],"stop":', "Border trade 2021."),
            doc("b.html", "Pešāwar ’quoted’ \\ \"terms\"", "Trade talks resumed at Torkham, پشاور.")]
    index = build_index(docs, RULES)
    write_index(tmp_path / "search", index)
    shards = " ".join(sorted({term[:2] for term in index["terms"].split(" ")}))
    assert read_postings(tmp_path / "search") == {"terms": index["terms"], "postings": index["postings"],
                                                  "shards": shards}
    only = read_postings(tmp_path / "search", only={"tr", "zz"})  # a shard's words, not the others'
    assert only["terms"].split(" ") == [term for term in index["terms"].split(" ") if term.startswith("tr")]
    assert only["shards"] == shards
    assert (tmp_path / "search" / shard_file("پش")).is_file() and shard_file("پش").isascii()
    write_index(tmp_path / "empty", build_index([], RULES))
    assert read_postings(tmp_path / "empty") == {"terms": "", "postings": [], "shards": ""}
    assert not list((tmp_path / "empty" / "terms").iterdir())
    head = (tmp_path / "search" / "index.js").read_text("utf-8")
    shard = (tmp_path / "search" / shard_file("tr")).read_text("utf-8")
    damages = [("index.js", head[:20]), ("index.js", ""), (shard_file("tr"), shard[:len(shard) // 2]),
               (shard_file("tr"), shard.replace('"key":"tr"', '"key":"to"')), (shard_file("tr"), None)]
    for name, damaged in damages:
        copy = tmp_path / f"damaged-{damages.index((name, damaged))}"
        write_index(copy, index)
        if damaged is None:
            (copy / name).unlink()
        else:
            (copy / name).write_text(damaged, "utf-8")
        assert read_postings(copy) is None, (name, damaged)
    assert read_postings(tmp_path / "missing") is None


class Article(SimpleNamespace):
    __hash__ = object.__hash__  # text_edited's edits are keyed by article, as Pelican's are


def test_a_text_edit_writes_what_a_build_writes_for_briefings_with_and_without_their_own_entities(tmp_path):
    """make devserver's keeper has the search job update its files after an edit to a
    briefing's text (text_edited): they are those a build of the edited briefings writes,
    whether the briefing lists its entities or is found by the entities that mention it (an
    entity's name found in its new text weighs with the name)."""
    def articles():
        listing = Article(url="briefings/a.html", title="Border talks", tags=[], date=1,
                          entities=[SimpleNamespace(name="Torkham")], content='<p id="p-1">Trucks waited.</p>')
        unlisted = Article(url="briefings/b.html", title="Trade resumes", tags=[], date=2,
                           content='<p id="p-1">Quetta traders welcomed it.</p>')
        return listing, unlisted, [SimpleNamespace(name="Hafiz Gul Bahadur", briefings=[unlisted])]

    def search_files(folder: Path) -> dict[str, bytes]:
        return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*.js"))}

    for edited in (0, 1):
        site, whole = tmp_path / f"site{edited}", tmp_path / f"whole{edited}"
        *kept, entities = articles()
        job = search_index.SearchIndexGenerator({"articles": kept, "entities": entities}, {}, None, None, site)
        job.write_index()
        old = kept[edited].content
        kept[edited].content = '<p id="p-1">Zhob drivers waited for Bahadur twice.</p>'  # an entity's word
        for name, script in job.text_edited(str(site), {kept[edited]: old}).items():
            if script is None:
                (site / name).unlink()
            else:
                (site / name).write_bytes(script)
        *fresh, entities = articles()
        fresh[edited].content = kept[edited].content
        search_index.SearchIndexGenerator({"articles": fresh, "entities": entities}, {}, None, None, whole).write_index()
        assert search_files(site) == search_files(whole)
        assert "bahadur" in (site / "search" / "terms" / "ba.js").read_text("utf-8")  # the unlisted's entity


def test_the_files_start_early_only_once_the_plugins_that_make_what_search_shows_have_run(monkeypatch):
    """Pelican's signals call their handlers in the order they were connected (PLUGINS' order):
    the search files may start once plugins/entities' and plugins/structured_data's handlers
    have had the signal, whichever of the two are loaded."""
    import pelican.plugins.signals  # noqa: F401, PLC0415  (its signals keep their handlers' order)
    from blinker import Namespace  # noqa: PLC0415

    def handler(module: str, name: str):
        def function(sender) -> None:
            pass
        function.__module__, function.__name__ = module, name
        return function

    entities = handler("entities.entities", "add_entities")
    plain_titles = handler("structured_data.structured_data", "add_structured_data")
    events = handler("chronology.chronology", "add_chronology")
    start = search_index.start_early
    for module in ("entities.entities", "structured_data.structured_data"):
        monkeypatch.setitem(sys.modules, module, ModuleType(module))

    def started_in_order(*handlers) -> bool:
        signal = Namespace().signal("article_generator_finalized")
        for function in handlers:
            signal.connect(function)
        return search_index.made_before(signal, start)

    assert started_in_order(entities, plain_titles, start, events)
    assert not started_in_order(entities, start, plain_titles, events)
    assert not started_in_order(start, entities, plain_titles)
    monkeypatch.delitem(sys.modules, "structured_data.structured_data")
    assert started_in_order(entities, start, events)  # a plugin not loaded is not waited for


RECORDING_RUNNER = """
import os, sys
sys.path[0] = os.getcwd()
sys.path.insert(0, os.path.join(os.getcwd(), "plugins"))
from parallel_render import parallel_render
start = parallel_render.EarlyJobs.start
def recorded(self, function, *arguments):
    print("started early:", function.__qualname__, flush=True)
    return start(self, function, *arguments)
parallel_render.EarlyJobs.start = recorded
from pelican import main
main(sys.argv[1:])
"""


def test_the_search_files_start_beside_the_build_and_are_those_written_among_the_pages(tmp_path):
    """With the project's plugins, the search files start as soon as what they show is made
    (plugins/search_index's start_early); listed before the plugins that make it, the job waits
    to run among the pages, as it did before: the files are the same bytes."""
    content = tmp_path / "content"
    subprocess.run([sys.executable, "scripts/convert.py", str(SEEDS), str(content), "--quiet"], cwd=ROOT, check=True)
    runner = tmp_path / "runner.py"
    runner.write_text(RECORDING_RUNNER, "utf-8")
    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    first = ["parallel_render", "search_index"] + [name for name in plugins if name not in ("parallel_render", "search_index")]

    def searched(name: str, *settings: str) -> tuple[dict[str, bytes], str]:
        output = tmp_path / name
        result = subprocess.run([sys.executable, str(runner), str(content), "-o", str(output), "-s",
                                 str(ROOT / "pelicanconf.py"), *settings], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        files = {str(path.relative_to(output)): path.read_bytes() for path in (output / "search").rglob("*")
                 if path.is_file()}
        return files, result.stdout

    early, said = searched("early")
    assert "started early: SearchIndexGenerator.write_index" in said
    among_pages, said = searched("among-pages", "-e", f"PLUGINS={json.dumps(first)}")
    assert "started early" not in said
    assert len(early) > 5 and early == among_pages
