"""Conversion cache: unchanged seeds are not converted again, and the Markdown is the same."""

from pathlib import Path

import briefing.seed_cache as seed_cache
from briefing.model import Briefing
from briefing.convert import convert_folder
from briefing.corpus import write_corpus


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


def test_a_damaged_cache_only_costs_time(tmp_path):
    seeds = tmp_path / "seeds"
    write_corpus(4, seeds)
    convert_folder(seeds, tmp_path / "content")
    expected = markdown_tree(tmp_path / "content")
    cache_file = tmp_path / "content" / seed_cache.CACHE_DIR / seed_cache.CACHE_FILE
    cache_file.write_bytes(b"not a database")
    report = convert_folder(seeds, tmp_path / "content")
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
