"""Property-based tests: random text and bytes never crash the converter, stay literal, lose nothing."""

import markdown as markdown_lib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefing.decode import UnreadableSeed
from briefing.markdown import render
from briefing.pipeline import convert_seed
from test_pipeline import uncovered

ALLOWED_KEYS = {"checksum", "title", "date", "slug", "source", "author", "summary", "tags", "seed",
                "seed_copy", "title_from", "dateline", "caption", "credit", "removed", "warnings",
                "entities", "events"}

SNIPPETS = ["<script>alert(1)</script>", "# Heading", "**bold**", "[x](javascript:y)", "{{ x }}",
            "{% if %}", "Title: t", "Save_as: ../x.html", "Status: draft", "{filename}/a.md",
            "date 2021-10-24 ", "10:34 GMT25 July 2021", "Published: 29 February 2020",
            "2021-02-30", "FILE – troops. Reuters", "Credit: AP Photo/X", "Listen Live",
            "Advertisement", "US, Pakistan, TTP", "Washington: ", " – The Diplomat", "*", "\r\n",
            "\n\n", "\u00a0", "\t", "Pakistan’s", "“quoted”", "پاکستان", "\x00"]

seed_text = st.lists(
    st.one_of(st.sampled_from(SNIPPETS), st.text(min_size=1, max_size=80)), min_size=1, max_size=40
).map("".join)


def convert(data: bytes):
    try:
        return convert_seed("fuzz.txt", data)
    except UnreadableSeed:
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(data):
    convert(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed_text)
# A piece that also occurs inside a longer one: the conservation check must place both.
@example("# Heading<script>alert(1)</script>\r\n<script>alert(1)</script><script>alert(1)</script>")
def test_random_text_is_conserved_and_stays_literal(text):
    briefing = convert(text.encode("utf-8"))
    if briefing is None:
        return
    assert uncovered(briefing.seed_text, briefing.paragraphs + [r.text for r in briefing.removed]) == ""
    briefing.slug = "fuzz"
    md = markdown_lib.Markdown(extensions=["markdown.extensions.meta"])
    html = md.convert(render(briefing, "sources/fuzz.txt"))
    assert set(md.Meta) <= ALLOWED_KEYS
    assert md.Meta["slug"] == ["fuzz"]
    tags = [part.split(">")[0].split()[0] for part in html.split("<")[1:] if part and part[0] != "/"]
    assert set(tags) <= {"p"}, tags
