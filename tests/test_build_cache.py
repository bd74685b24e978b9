"""The Markdown cache composes with readers other plugins extend, and never skips their work."""

import sys
from pathlib import Path
from types import SimpleNamespace

from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

import build_cache.build_cache as build_cache  # noqa: E402


def settings(tmp_path):
    return {**DEFAULT_CONFIG, "PATH": str(tmp_path), "MARKDOWN": {}, "TYPOGRIFY": False,
            "ARTICLE_PATHS": ["briefings"], "PAGE_PATHS": []}


def extended(reader_class):
    """What a plugin such as `entities` does: extend the reader's read()."""

    class Extending(reader_class):
        def read(self, source_path):
            content, metadata = super().read(source_path)
            return content + "<!-- extended -->", metadata

    return Extending


def test_a_reader_extended_after_the_cache_keeps_its_work_on_every_read(tmp_path):
    (tmp_path / "briefings").mkdir()
    source = tmp_path / "briefings" / "one.md"
    source.write_text("Title: One\n\nSome *text*.\n", "utf-8")
    readers = SimpleNamespace(settings=settings(tmp_path), reader_classes={"md": MarkdownReader})
    try:
        build_cache.cache_readers(readers)
        reader = extended(readers.reader_classes["md"])(readers.settings)
        first = reader.read(str(source))
        second = reader.read(str(source))  # from the cache this time
    finally:
        build_cache.save_cache(None)
    assert first[0] == second[0] == "<p>Some <em>text</em>.</p><!-- extended -->"
    assert first[1]["title"] == second[1]["title"] == "One"
    assert (tmp_path / ".cache" / build_cache.CACHE_FILE).is_file()


def test_a_reader_whose_read_was_replaced_before_is_left_uncached(tmp_path, caplog):
    readers = SimpleNamespace(settings=settings(tmp_path),
                              reader_classes={"md": extended(MarkdownReader)})
    try:
        build_cache.cache_readers(readers)
    finally:
        build_cache.save_cache(None)
    assert readers.reader_classes["md"].__qualname__.endswith("Extending")
    assert "list build_cache in PLUGINS before" in caplog.text
