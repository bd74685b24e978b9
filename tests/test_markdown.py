"""Generated Markdown: seed text stays literal through Markdown and Pelican's metadata."""

import markdown as markdown_lib

from briefing.markdown import edited_by_hand, render
from briefing.model import Briefing, PublishedDate
from datetime import date

HOSTILE = [
    "<script>alert(1)</script>",
    "# Not a heading",
    "[click](javascript:alert(1))",
    "*not emphasis* and __not bold__",
    "{{ config }} {% if x %}",
    "Title: Injected",
    "Save_as: ../../x.html",
    "<img src=x onerror=alert(1)>",
]


def briefing_with(paragraphs, title="Title <b>bold</b>"):
    return Briefing(seed_name="seed.txt", title=title, summary=paragraphs[0], paragraphs=paragraphs,
                    slug="slug", date=PublishedDate(date(2021, 7, 1), "month"))


def convert(text):
    md = markdown_lib.Markdown(extensions=["markdown.extensions.meta"])
    return md.convert(text), md.Meta


def test_body_is_literal_text_in_anchored_paragraphs():
    html, meta = convert(render(briefing_with(HOSTILE), "sources/slug.txt"))
    assert "<script>" not in html and "<img" not in html and "<h1" not in html
    assert "<em>" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<p id="p-2"># Not a heading</p>' in html
    assert "{{ config }}" in html
    assert meta["title"] == ["Title &lt;b&gt;bold&lt;/b&gt;"]
    assert "save_as" not in meta


def test_metadata_values_are_single_lines():
    b = briefing_with(["Body."], title="Line one\nSlug: evil")
    _, meta = convert(render(b, "sources/slug.txt"))
    assert meta["slug"] == ["slug"]
    assert meta["title"] == ["Line one Slug: evil"]


def test_partial_date_keeps_its_precision():
    _, meta = convert(render(briefing_with(["Body."]), "sources/slug.txt"))
    assert meta["date"] == ["2021-07"]


def test_hand_edits_are_detected():
    text = render(briefing_with(["Body."]), "sources/slug.txt")
    assert not edited_by_hand(text)
    assert edited_by_hand(text.replace("Body.", "Body, edited."))
