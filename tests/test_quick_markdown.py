"""quick_markdown.convert gives what Python-Markdown gives, and spares its parse of the paragraphs
the converter writes."""

import copy
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from briefing.convert import convert_folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from build_cache import quick_markdown  # noqa: E402

SETTINGS = MarkdownReader(copy.deepcopy(DEFAULT_CONFIG)).settings["MARKDOWN"]  # Pelican's, as the site uses

# Pieces of a metadata block and of a paragraph's text: plain ones, and what Markdown or its HTML
# parser acts on (references with and without `;`, tags, comments, fences, markers, line ends).
HEAD_LINES = ["Title: A title", "Tags: Kabul, Taliban", "    [photo caption] continued", "Summary: a *b*",
              "Date: 2021-10-24", "Not metadata", "", "  ", "Events: 2021 | p-1 | 2021 | | x & y",
              "[^1]: a note", "*[AT]: a definition", "[a]: /a-reference"]
PLAIN_PIECES = ["Officials said", " ", "Kabul", "“quoted”", "é", "&amp;", "&lt;b&gt;", "&#38;", "&#x26;",
                "&nbsp;", "&#8220;", "*", "_", "[^1]", "*[AT]: x", "[a]: /b", "    ", "# ", "1. ", "\\",
                "\u2028", "\x85", "```", "~~~"]
EDGE_PIECES = ["&amp", "&#38", "&#x26", "& ", "AT&T", "<b>", "</p>", '<p id="p-9">', ">", "<!-- c -->",
               "\t", "\x02", "\x03", "\r", "\n", "\n\n", "\x00", "\x7f"]
SEPARATORS = ["\n\n", "\n\n", "\n\n", "\n", "\n\n\n", " \n\n", "\n \n"]


def markdown() -> Markdown:
    return Markdown(**SETTINGS)


def converted(md: Markdown, convert, text: str) -> tuple[str, dict]:
    html = convert(md.reset(), text)
    return html, md.Meta


def assert_same(text: str) -> None:
    md = markdown()
    assert converted(md, quick_markdown.convert, text) == converted(md, Markdown.convert, text)


@st.composite
def documents(draw) -> str:
    head = "\n".join(draw(st.lists(st.sampled_from(HEAD_LINES), max_size=4)))
    paragraphs = []
    for _ in range(draw(st.integers(0, 3))):
        pieces = draw(st.lists(st.sampled_from(PLAIN_PIECES), max_size=6))
        if draw(st.booleans()):  # one piece at most that Markdown's parser may act on
            pieces.insert(draw(st.integers(0, len(pieces))), draw(st.sampled_from(EDGE_PIECES)))
        anchor = draw(st.sampled_from(["p-1", "p-2", "photo", "p x"]))
        paragraphs.append(f'<p id="{anchor}">{"".join(pieces)}</p>')
    text = head + draw(st.sampled_from(SEPARATORS))
    for paragraph in paragraphs:
        text += paragraph + draw(st.sampled_from(SEPARATORS))
    return text + draw(st.sampled_from(["", "\n", "\n\n", " "]))


@settings(max_examples=1500, deadline=None)
@given(documents())
@example('Title: t\n\n<p id="p-1">a &#38 b</p>\n')  # the parser writes the reference back with `;`
@example('Title: t\n\n<p id="p-1">a </p> b</p>\n')  # the paragraph ends early
@example('Title: t\n\n<p id="p-1">x</p>\n<p id="p-2">y</p>\n')  # no blank line between
@example('Title: t\nNot metadata\n\n<p id="p-1">x</p>\n')  # the block ends in text
@example('Title: t\n\n<p id="p-1">x\ty</p>\n')  # a tab is expanded
def test_the_same_html_and_metadata_as_markdown(text):
    assert_same(text)


def test_the_converters_briefings_take_the_quick_way_and_convert_the_same(tmp_path):
    """Every briefing of the five seeds and of the test seeds (hostile ones included: HTML,
    Markdown, Jinja and Pelican metadata in their text) is a metadata block and paragraphs only."""
    fixtures = ROOT / "tests" / "fixtures" / "seeds"
    texts = []
    for seeds in (ROOT / "seeds", fixtures):
        content = tmp_path / seeds.name / str(len(texts))
        convert_folder(seeds, content, overwrite_edits=True)
        texts += [path.read_text("utf-8").removeprefix("\ufeff")
                  for path in sorted((content / "briefings").glob("*.md"))]
    assert len(texts) > 50
    for text in texts:
        head = text.partition("\n\n")[0]
        assert quick_markdown.PARAGRAPHS.fullmatch(text, len(head)), text
        assert_same(text)


class Shouting(Postprocessor):
    def run(self, text):
        return text.upper()


class ShoutingExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Shouting(md), "shouting", 1)


def test_a_site_with_another_markdown_extension_is_converted_whole():
    """An extension beyond Pelican's defaults may change raw paragraphs."""
    md = Markdown(**{**SETTINGS, "extensions": [*SETTINGS["extensions"], ShoutingExtension()]})
    text = 'Title: t\n\n<p id="p-1">quiet</p>\n'
    assert not quick_markdown.passes_through(md)
    assert quick_markdown.passes_through(markdown())
    assert quick_markdown.convert(md.reset(), text) == md.reset().convert(text) == "<P ID=\"P-1\">QUIET</P>"


@pytest.mark.parametrize("text", ["", "\n\n", "Title: t", 'Title: t\n\n<p id="p-1">x</p>'])
def test_short_documents(text):
    assert_same(text)
