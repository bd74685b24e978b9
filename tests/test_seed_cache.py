"""Conversion cache: unchanged seeds are not converted again, and the Markdown is the same."""

import pickle
import shutil
import zlib
from pathlib import Path

import pytest

import briefing.seed_cache as seed_cache
from briefing.model import Briefing
from briefing.convert import convert_folder, format_report
from briefing.corpus import write_corpus


def output_tree(content: Path) -> dict[str, bytes]:
    """Every file the converter writes (its cache left out)."""
    return {str(path.relative_to(content)): path.read_bytes() for folder in ("briefings", "sources")
            for path in sorted((content / folder).glob("*"))}


def markdown_tree(content: Path) -> dict[str, str]:
    return {str(p.relative_to(content)): p.read_text("utf-8")
            for p in sorted((content / "briefings").glob("*.md"))}


def count_conversions(monkeypatch) -> list[str]:
    converted = []
    original = seed_cache.convert_seed

    def counting(name, raw, *arguments):
        converted.append(name)
        return original(name, raw, *arguments)

    monkeypatch.setattr(seed_cache, "convert_seed", counting)
    return converted


def test_only_the_edited_seed_is_converted_again(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_corpus(12, seeds)
    convert_folder(seeds, tmp_path / "cached")
    converted = count_conversions(monkeypatch)
    edited = sorted(seeds.iterdir())[5]
    edited.write_bytes(edited.read_bytes() + b"\nOfficials later revised the toll upwards.\n")
    report = convert_folder(seeds, tmp_path / "cached")
    assert converted == [edited.name]
    assert report.written == 2  # the edited briefing's Markdown and its seed copy
    convert_folder(seeds, tmp_path / "fresh")  # no cache there: everything converted
    assert len(converted) == 13
    assert markdown_tree(tmp_path / "cached") == markdown_tree(tmp_path / "fresh")


def test_a_pools_workers_give_the_cache_what_converting_here_gives(tmp_path, monkeypatch):
    """Enough seeds for a pool: its workers hand back the cache's rows of each briefing, which
    the parent stores as they come. They read back as the briefings converted in this process,
    and the Markdown is the same."""
    seeds = tmp_path / "seeds"
    write_corpus(seed_cache.POOL_THRESHOLD + 6, seeds)
    rows = {}
    for cores in (2, 1):
        monkeypatch.setattr(seed_cache, "usable_cores", lambda cores=cores: cores)
        convert_folder(seeds, tmp_path / f"cores{cores}")
        cache = seed_cache.SeedCache(tmp_path / f"cores{cores}")
        rows[cores] = {key: (pickle.loads(zlib.decompress(whole)), pickle.loads(summary)) for key, whole, summary
                       in cache.db.execute("SELECT seed.key, seed.value, summary.value FROM seed JOIN summary "
                                           "ON seed.key = summary.key")}
    assert len(rows[2]) == seed_cache.POOL_THRESHOLD + 6 and rows[2] == rows[1]
    assert all(isinstance(whole, Briefing) and whole.paragraphs and not summary.paragraphs
               for whole, summary in rows[2].values())
    assert output_tree(tmp_path / "cores2") == output_tree(tmp_path / "cores1")


def test_a_damaged_cache_only_costs_time(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    write_corpus(4, seeds)
    convert_folder(seeds, tmp_path / "content")
    expected = markdown_tree(tmp_path / "content")
    cache_file = tmp_path / "content" / seed_cache.CACHE_DIR / seed_cache.CACHE_FILE
    cache_file.write_bytes(b"not a database")
    capsys.readouterr()
    report = convert_folder(seeds, tmp_path / "content")
    assert f"warning: {cache_file} was damaged and is started afresh" in capsys.readouterr().err
    assert len(report.briefings) == 4 and markdown_tree(tmp_path / "content") == expected
    assert seed_cache.SeedCache(tmp_path / "content").lookup(
        seed_cache.SeedCache(None).key(report.briefings[0].seed_name,
                                       (seeds / report.briefings[0].seed_name).read_bytes()))


def test_a_change_to_the_converter_converts_everything_again(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_corpus(3, seeds)
    convert_folder(seeds, tmp_path / "content")
    converted = count_conversions(monkeypatch)
    monkeypatch.setattr(seed_cache, "converter_fingerprint", lambda: "another converter")
    convert_folder(seeds, tmp_path / "content")
    assert len(converted) == 3


def test_further_arguments_are_part_of_the_key(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_corpus(2, seeds)
    paths = sorted(seeds.iterdir())
    seen = []
    monkeypatch.setattr(seed_cache, "convert_seed",
                        lambda name, raw, *arguments: seen.append(arguments) or Briefing(name))
    cache = seed_cache.SeedCache(tmp_path / "content")
    cache.convert_all(paths, {paths[0].name: (("title",),)})
    cache.convert_all(paths, {paths[0].name: (("title",),)})  # both cached now
    cache.convert_all(paths, {paths[0].name: (("date",),)})  # another argument: converted again
    assert seen == [(("title",),), (), (("date",),)]


def test_a_one_seed_edit_reads_back_only_that_whole_briefing(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    write_corpus(6, seeds)
    convert_folder(seeds, tmp_path / "content")
    edited = sorted(seeds.iterdir())[2]
    edited.write_bytes(edited.read_bytes() + b"\nOfficials later revised the toll upwards.\n")
    whole = []
    original = seed_cache.SeedCache.lookup
    monkeypatch.setattr(seed_cache.SeedCache, "lookup",
                        lambda self, key: whole.append(key) or original(self, key))
    report = convert_folder(seeds, tmp_path / "content")
    assert report.written == 2 and len(set(whole)) == 1  # the others: summaries, files as recorded


def report_of(report) -> list[str]:
    """The report's lines but the last (files written differ between a rerun and a fresh run)."""
    return format_report(report)[:-1]


def test_reruns_settle_duplicates_as_a_fresh_run_does(tmp_path):
    """The duplicate pass of a rerun matches only the seeds a change can reach (see
    duplicates.settle_duplicates): after each change the output and report are a fresh run's."""
    seeds = tmp_path / "seeds"
    write_corpus(10, seeds)
    paths = sorted(seeds.iterdir())
    convert_folder(seeds, tmp_path / "cached")
    changes = [
        lambda: paths[6].write_bytes(paths[2].read_bytes()),  # a copy of an earlier seed
        lambda: (seeds / "-first.txt").write_bytes(paths[2].read_bytes()),  # kept before both
        lambda: paths[2].write_bytes(paths[2].read_bytes() + b"\nA later correction.\n"),
        lambda: (seeds / "-first.txt").unlink(),  # the kept original gone
        lambda: paths[6].write_bytes(paths[7].read_bytes()[:-200]),  # a shorter copy of a later one
        lambda: paths[7].unlink(),
    ]
    seen = []
    for number, change in enumerate(changes):
        change()
        report = convert_folder(seeds, tmp_path / "cached")
        fresh = convert_folder(seeds, tmp_path / f"fresh-{number}")
        assert report_of(report) == report_of(fresh)
        assert output_tree(tmp_path / "cached") == output_tree(tmp_path / f"fresh-{number}")
        seen.append([(d.seed_name, d.kept) for d in report.duplicates])
    names = [path.name for path in paths]
    first, copy = [(names[2], "-first.txt"), (names[6], "-first.txt")], [(names[6], names[2])]
    assert seen == [copy, first, first, copy, [(names[7], names[6])], []]


def test_a_summary_leaves_the_shingles_out_and_a_rerun_reads_those_it_compares(tmp_path, monkeypatch):
    """The summaries a rerun reads back for every seed hold the duplicate pass's hashes and
    sketch, not the shingles (five sixths of their bytes: 161 → 123 MB for a one-seed rerun at
    10,000 seeds): those of the few seeds a changed one is compared with are read from their
    whole entries. A shorter copy of a seed is still found to repeat it."""
    seeds, content = tmp_path / "seeds", tmp_path / "content"
    write_corpus(6, seeds)
    paths = sorted(seeds.iterdir())
    convert_folder(seeds, content)
    cache = seed_cache.SeedCache(content)
    keys = list(cache.cached_keys())
    assert keys and all(cache.lookup_summary(key).fingerprint.shingles is None for key in keys)
    assert all(cache.shingles(key) for key in keys)
    read = []
    shingles = seed_cache.SeedCache.shingles
    monkeypatch.setattr(seed_cache.SeedCache, "shingles", lambda self, key: read.append(key) or shingles(self, key))
    paths[4].write_bytes(paths[1].read_bytes()[:-200])
    report = convert_folder(seeds, content)
    assert [(d.seed_name, d.kept) for d in report.duplicates] == [(paths[4].name, paths[1].name)]
    assert report.duplicates[0].reason.startswith("near-identical text")
    assert 1 <= len(read) < len(paths)


def test_the_converters_fingerprint_covers_its_code_and_rules_and_nothing_else(tmp_path, monkeypatch):
    """A change to what the converter runs (a module convert.py imports, directly or inside a
    function, or a rule file one of them loads) converts every seed again; a change to a
    module only the build or the benchmark imports, or to their data, does not."""
    package = tmp_path / "briefing"
    shutil.copytree(seed_cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(seed_cache, "PACKAGE", package)
    monkeypatch.setattr(seed_cache, "CONVERTER", package / "convert.py")

    def fingerprint() -> str:
        seed_cache.converter_fingerprint.cache_clear()
        return seed_cache.converter_fingerprint()

    names = {str(path.relative_to(package)) for path in seed_cache.converter_files()}
    assert {"convert.py", "pipeline.py", "entities.py", "markdown.py", "data/gazetteer.toml",
            "data/dates.toml"} <= names
    assert not names & {"periods.py", "corpus.py", "benchmark.py", "data/search.toml",
                        "data/corpus_vocabulary.toml"}
    assert not names & seed_cache.NOT_CONVERSION
    for name, converts_again in [("periods.py", False), ("data/search.toml", False),
                                 ("up_to_date.py", False), ("progress.py", False), ("file_states.py", False),
                                 ("entities.py", True), ("data/gazetteer.toml", True),
                                 ("pipeline.py", True)]:
        before = fingerprint()
        with open(package / name, "a", encoding="utf-8") as file:
            file.write("\n# edited\n")
        assert (fingerprint() != before) == converts_again, name

    # a module that starts being imported, inside a function, becomes the converter's
    with open(package / "pipeline.py", "a", encoding="utf-8") as file:
        file.write("\n\ndef later():\n    from .periods import UNDATED\n    return UNDATED\n")
    with open(package / "markdown.py", "a", encoding="utf-8") as file:
        file.write("\n\ndef sample():\n    from . import (corpus,  # a comment\n        hugo_baseline as baseline)\n"
                   "    return corpus, baseline\n")
    assert {"periods.py", "corpus.py", "hugo_baseline.py"} <= {path.name for path in seed_cache.converter_files()}
    before = fingerprint()
    with open(package / "periods.py", "a", encoding="utf-8") as file:
        file.write("\n# edited again\n")
    assert fingerprint() != before


@pytest.fixture(autouse=True)
def fresh_fingerprint():
    """converter_fingerprint is computed once per process: not from a test's package copy."""
    seed_cache.converter_fingerprint.cache_clear()
    yield
    seed_cache.converter_fingerprint.cache_clear()
