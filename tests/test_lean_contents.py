"""Briefings' HTML kept in a temporary file while pages render: out of memory, read back whole."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from lean_contents.lean_contents import close, collector_on, hide_structures, spill  # noqa: E402


class Briefing:
    def __init__(self, html: str):
        self._content = html

    def _update_content(self, text: str, siteurl: str) -> str:  # as Pelican's: links made relative
        return text.replace("{filename}", siteurl + "/")


def test_html_leaves_memory_and_comes_back_the_same_for_every_status():
    texts = ["<p>Kabul — Pešāwar ’quoted’</p>", "", "<p>" + "x" * 100_000 + "</p>", "<p>draft</p>"]
    articles = [Briefing(text) for text in texts[:3]]
    draft = Briefing(texts[3])
    generator = SimpleNamespace(articles=articles, drafts=[draft], hidden_articles=[])
    spill(generator)
    try:
        for briefing, text in zip([*articles, draft], texts):
            assert briefing._content is None
            assert briefing.get_content("..") == text
            assert briefing.get_content("..") == text  # read again: nothing was consumed
        with_link = Briefing('<a href="{filename}x.md">x</a>')
        spill(SimpleNamespace(articles=[with_link]))
        assert with_link.get_content("..") == '<a href="../x.md">x</a>'
    finally:
        close(None)


def test_the_collector_rests_while_the_plugins_build_on_the_briefings_and_runs_again_to_render():
    """Full collections that walk every briefing and structure, and find nothing, are what the
    collector would do between the spill and the rendering (see release_memory)."""
    import gc  # noqa: PLC0415

    spill(SimpleNamespace(articles=[Briefing("<p>x</p>")]))
    try:
        assert not gc.isenabled() and gc.get_freeze_count() > 0
        structures = [[n] for n in range(1000)]  # what the entity, event and cross-link plugins make
        hide_structures()
        assert gc.isenabled()
        assert not gc.is_tracked(structures) or gc.get_freeze_count() >= len(structures)
    finally:
        close(None)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_build_that_failed_after_its_spill_leaves_the_next_build_a_working_collector():
    import gc  # noqa: PLC0415

    spill(SimpleNamespace(articles=[Briefing("<p>x</p>")]))  # then the build fails: no close
    try:
        collector_on()  # the next build starts (Pelican's `initialized`)
        assert gc.isenabled()
    finally:
        close(None)
