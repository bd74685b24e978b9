"""The five real seeds: what a reader must get from each."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.decode import UnreadableSeed
from briefing.pipeline import convert_seed
from helpers import uncovered

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def convert(name):
    return convert_seed(name, (SEEDS / name).read_bytes())


@pytest.fixture(scope="module")
def seeds():
    return {path.name: convert(path.name) for path in sorted(SEEDS.glob("*.txt"))}


def removed(briefing):
    return {(item.reason, item.text) for item in briefing.removed}


def test_every_stated_date_is_parsed(seeds):
    dates = {name: b.date.iso() if b.date else None for name, b in seeds.items()}
    assert dates == {
        "000_e89b3c2d54e9788f.txt": "2021-10-24",
        "001_c0fb558635df51c0.txt": "2021-07-25",
        "002_05c538a2be35242a.txt": "2022-12-19",
        "003_453a01e2ae8e6135.txt": None,
        "004_389bc0c514f36f5f.txt": "2023-04-25",
    }


def test_title_line_gives_title_and_publisher(seeds):
    b = seeds["003_453a01e2ae8e6135.txt"]
    assert (b.title, b.source, b.title_from) == (
        "Pakistan, US join hands against Pakistan’s Taliban", "The Diplomat", "title line")


def test_titles_without_title_line_come_from_the_lede_not_the_caption(seeds):
    b = seeds["000_e89b3c2d54e9788f.txt"]
    assert b.title_from == "lede"
    assert "Closely aligned" not in b.title
    assert b.title == "US is formalizing an agreement with Pakistan to use its airspace"
    assert b.caption == "Pakistani Prime Minister Imran Khan - Closely aligned with Taliban."
    assert b.credit == "Associated Press"
    assert not b.paragraphs[0].startswith("Pakistani Prime Minister")


def test_captions_credits_and_newsletter_prompts_leave_the_body(seeds):
    b = seeds["003_453a01e2ae8e6135.txt"]
    body = "\n".join(b.paragraphs)
    for debris in ["FILE –", "Credit:", "Advertisement", "Weekly Newsletter", "Get the newsletter",
                   "Click here to subscribe", "diplomatic letter", "Catch up on the story"]:
        assert debris not in body
    assert b.credit == "AP Photo/Anjum Naveed, File"
    assert ("glued artefact", "Advertisement") in removed(b)


def test_player_links_section_labels_related_headlines_and_tag_line(seeds):
    b = seeds["001_c0fb558635df51c0.txt"]
    body = "\n".join(b.paragraphs)
    for debris in ["Listen Live", "Get short URL", "Asia & Pacific", "Over-the-Horizon",
                   "Community standards", "Discussion"]:
        assert debris not in body
    assert b.tags == ["US withdrawal", "Afghanistan", "Pakistan", "Imran Khan", "CIA"]
    assert ("related headline", "Taliban 'Running Social Security Net For 30,000 Families of \"Martyrs\" In Afghanistan'") in removed(b)
    assert b.paragraphs[-1].startswith("“Peace will primarily be decided upon regionally")


def test_dateline_is_recognised(seeds):
    b = seeds["004_389bc0c514f36f5f.txt"]
    assert b.dateline == "Washington"
    assert b.paragraphs[0].startswith("Barely a couple of years")


def test_lone_symbol_is_removed(seeds):
    b = seeds["002_05c538a2be35242a.txt"]
    assert b.paragraphs[-1].endswith("European partners.")
    assert ("lone symbol", "*") in removed(b)


def test_every_seed_has_tags_and_a_summary(seeds):
    for b in seeds.values():
        assert b.tags, b.seed_name
        assert b.summary and b.paragraphs[0].startswith(b.summary[:40])


def test_nothing_is_lost(seeds):
    """Every character of every seed is in the body or the removed list, exactly once."""
    for b in seeds.values():
        assert uncovered(b.seed_text, b.paragraphs + [item.text for item in b.removed]) == ""



LINES = st.sampled_from([
    "Published: 29 February 2020", "date 2021-02-30 Militants attacked a post.", "Advertisement",
    "PESHAWAR: Militants attacked a police post on Monday, officials said.", "By Jane Doe",
    "Taliban retake district – Dawn", "FILE – Troops patrol the fence. AP", "Credit: AP Photo/X",
    "Pakistan, Afghanistan, TTP, Khyber", "*", "Community standardsDiscussion", "Read more: Talks fail",
    "“We must act,” he said.", "We must act now; our country cannot wait and we know it.",
    "The talks in Doha ended without agreement after three days of meetings between the sides.",
    "", "   ", "<script>alert(1)</script>", "{{ x }}", "Title: x", "31 جنوری 2023",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=25), st.sampled_from(["\n", "\r\n", "\r"]))
def test_any_text_converts_without_loss_or_crash(lines, newline):
    """Whatever a seed holds, conversion ends in a briefing or a clear UnreadableSeed, and every
    character is in the body or the removed list."""
    data = newline.join(lines).encode("utf-8", errors="surrogatepass")
    try:
        b = convert_seed("random.txt", data)
    except UnreadableSeed:
        return
    assert b.title
    assert uncovered(b.seed_text, b.paragraphs + [item.text for item in b.removed]) == ""
