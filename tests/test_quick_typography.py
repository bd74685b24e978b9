"""typogrify with its filters skipped on text they cannot change gives what typogrify gives."""

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
import smartypants
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typogrify import filters

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from build_cache import quick_typography  # noqa: E402

TYPOGRIFY = getattr(filters.typogrify, "original", filters.typogrify)  # not build_cache's cache

# Every construct a filter acts on, in and out of tags it must leave alone.
TEXTS = [
    '<p>"Jayhawks" & KU fans -- said \'it\'s the \'80s\'... "\'Quoted\' words"</p>',
    "<p>He said: ``Isn't it?'' . . . `single' \\\"escaped\\\" \\- \\. \\\\ \\`</p>",
    "<h2>'Tis -- and --- or ... &amp; &#38; &nbsp;&&nbsp;</h2>",
    "<pre>\"leave\" -- 'this' ...</pre><p>but \"not\" this -- one</p>",
    "<code>\"x\" -- y</code> <kbd>'k'</kbd> <script>var a = \"b\" -- 1;</script> \"after\"",
    '<p><a href="/x?a=1&amp;b=\'2\'">A "link" &#8220;with&#8221; entities</a> U.S. D.O.T. NATO\'S</p>',
    "<p>'</p><p>\"</p><p>a'</p><p>\"a</p><p>&#8211; &#8212; &#8216;&#8217;</p>",
    "<p>Plain text with nothing to change at all</p>",
    "",
]

ATTRIBUTES = [smartypants.Attr.set1 | smartypants.Attr.w, smartypants.Attr.set2, smartypants.Attr.set3,
              smartypants.Attr.set1 | smartypants.Attr.B | smartypants.Attr.u,
              smartypants.Attr.set1 | smartypants.Attr.h, smartypants.Attr.set1 | smartypants.Attr.s]


@contextmanager
def attributes(value):
    saved = smartypants.Attr.default
    smartypants.Attr.default = value
    try:
        yield
    finally:
        smartypants.Attr.default = saved


@contextmanager
def unwrapped():
    """The filters as their libraries define them."""
    saved = {(module, name): getattr(module, name)
             for table in (quick_typography.NEEDS, quick_typography.REPLACED)
             for module, functions in table.items() for name in functions}
    for module, name in saved:
        setattr(module, name, quick_typography.library_function(module, name))
    try:
        yield
    finally:
        for (module, name), function in saved.items():
            setattr(module, name, function)


def typogrified(text: str, **options) -> tuple[str, str]:
    """(typogrify with the quick filters, typogrify as its library has it)."""
    quick_typography.install()
    quick = TYPOGRIFY(text, **options)
    with unwrapped():
        return quick, TYPOGRIFY(text, **options)


@pytest.mark.parametrize("attribute", ATTRIBUTES)
def test_every_filter_gives_what_typogrify_gives_under_every_smartypants_setting(attribute):
    with attributes(attribute):
        for text in TEXTS:
            quick, slow = typogrified(text)
            assert quick == slow, text


def test_the_filters_are_wrapped_once_and_only_skip_text_they_cannot_change():
    quick_typography.install()
    quick_typography.install()
    convert_quotes = smartypants.convert_quotes
    assert convert_quotes.original is not None and not hasattr(convert_quotes.original, "original")
    assert convert_quotes('"a"') == "&#8220;a&#8221;"
    assert filters.amp("One & two") == 'One <span class="amp">&amp;</span> two'


PIECES = ['"', "'", "`", "``", "''", "-", "--", "---", ".", "...", ". . .", "\\", "&", "&amp;", "&#8220;",
          "&nbsp;", " ", "\n", "a", "Z", "80s", "US", "<p>", "</p>", "<pre>", "</pre>", "<em>", "</em>",
          '<a href="x">', "</a>", "<code>", "</code>", "<h1>", "</h1>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.sampled_from(ATTRIBUTES))
def test_random_markup_gets_what_typogrify_gives(text, attribute):
    with attributes(attribute):
        quick, slow = typogrified(text)
        assert quick == slow


def test_widont_and_caps_are_replaced_once():
    quick_typography.install()
    quick_typography.install()
    assert filters.widont is quick_typography.widont and filters.caps is quick_typography.caps
    assert not hasattr(filters.widont.original, "original")
    assert filters.widont("<p>A last word</p>") == "<p>A last&nbsp;word</p>"
    assert filters.caps("<p>The NATO</p>") == '<p>The <span class="caps">NATO</span></p>'


@pytest.mark.parametrize("name, expression", [
    ("widont", quick_typography.WIDONT), ("caps", quick_typography.CAPS),
    ("caps", quick_typography.SKIPPED_TAG)])
def test_the_expressions_are_the_pinned_typogrifys(name, expression):
    """The replacements try typogrify's own expressions: a later typogrify that changed them
    must be read again (see the module's docstring)."""
    library = quick_typography.library_function(filters, name)
    assert expression.pattern in library.__code__.co_consts
    if name == "widont":  # the replacement the new widont writes out as groups 1 and 2
        assert r"\1&nbsp;\2" in library.__code__.co_consts


# The places widont and caps act on, and the ones that could fool a walk back from a block's end:
# inline tags before and after the last word, a "<" inside a tag, other white space, digits that
# are not ASCII, dotted capitals, the tags caps leaves alone.
EDGE_PIECES = [" ", "  ", "\n", "\t", "\u00a0", "\u2003", "word", "x", "A", "B", "AB", "1", "\u0663",
               ".", "'", "&#8217;", "U.", "S.", "NATO", "<p>", "</p>", "</h2>", "</li>", "</dd>",
               "<em>", "</em>", "<span class=\"caps\">", "</span>", "<b>", "</b>", "<br>", "</blockquote>",
               '<a href="x y">', "</a>", "<a ", "<", ">", "<kbd>", "</kbd>", "<script>", "</script>",
               "<!-- c -->", "<strong>", "</strong>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(EDGE_PIECES), max_size=24).map("".join))
@example("<a x y</p> z</p>")  # a "tag" that runs past a block's end
@example("1AB and U.S. D.C.")  # matches that start before their two capitals
def test_widont_and_caps_give_what_typogrifys_give(text):
    assert_as_typogrifys(text)


def assert_as_typogrifys(text: str) -> None:
    """The replacements of widont and caps give what typogrify's own give."""
    quick_typography.install()
    for name in ("widont", "caps"):
        library = quick_typography.library_function(filters, name)
        assert getattr(quick_typography, name)(text) == library(text), name


def test_widont_and_caps_on_a_briefing_give_what_typogrifys_give():
    html = ("<h2>U.S. and NATO talks</h2>\n<p>The <a href=\"/x.html\">UN&#8217;s envoy</a> met "
            "Taliban leaders in Doha on 3 March.</p>\n<ul>\n<li>One <em>item</em> </li>\n"
            "<li>Two</li>\n</ul>\n<p>Photo: <span class=\"caps\">AFP</span> / Getty</p>\n"
            "<pre>CODE  WORDS</pre>\n<p>Last line of a clipping\n</p>\n")
    assert_as_typogrifys(html)
    joined = [text.split("&nbsp;")[1][:6] for text in quick_typography.widont(html).split("\n")
              if "&nbsp;" in text]
    assert joined == ["talks<", "March.", "Getty<", "clippi"]  # the list items keep their spaces
