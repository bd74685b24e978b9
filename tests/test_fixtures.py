"""The fixture corpus: every dirty seed in tests/fixtures/seeds/ against its facts in expected.toml.

One test per (seed, fact). The folder is converted once, as a user converts it, and built once
into a site for the facts that only a built page can show (hostile text stays literal).
"""

import json
import re
import tomllib
from pathlib import Path

import pytest

from briefing.text import split_sentences
from briefing.convert import convert_folder, format_report
from briefing.seed_files import seed_files
from briefing.decode import UnreadableSeed
from briefing.pipeline import convert_seed
from conftest import built_output, page_by_seed
from helpers import uncovered

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_DIR = FIXTURES / "seeds"
EXPECTED: dict[str, dict] = tomllib.loads((FIXTURES / "expected.toml").read_text("utf-8"))
NOT_BUILT = {seed for seed, facts in EXPECTED.items() if "skipped" in facts or "duplicate_of" in facts}
FILE_MARKER = re.compile(r"^FILE\s*[–—-]\s*")
LEADING_ARTICLE = re.compile(r"^(?:The|An?)\s+(?=[A-Z])")
# Elements that seed text must never become inside a briefing's body.
MARKUP_FROM_TEXT = ["a", "script", "img", "iframe", "h1", "h2", "h3", "h4", "h5", "h6", "strong",
                    "em", "b", "i", "ul", "ol", "li", "code", "pre", "blockquote", "hr", "table"]


def one_space(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def cases() -> list[tuple[str, str]]:
    """(seed, fact) pairs; every built seed also checks its genre (news unless stated)."""
    pairs = [(seed, key) for seed, facts in EXPECTED.items() for key in facts]
    pairs += [(seed, "genre") for seed, facts in EXPECTED.items()
              if "genre" not in facts and seed not in NOT_BUILT]
    return sorted(pairs)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """The report of converting the whole fixture folder, and its lines as printed."""
    report = convert_folder(SEED_DIR, tmp_path_factory.mktemp("fixtures") / "content")
    return report, "\n".join(format_report(report))


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    return built_output(SEED_DIR, tmp_path_factory.mktemp("fixture-site"))


@pytest.fixture(scope="module")
def fixture_pages(fixture_site):
    return page_by_seed(fixture_site)


def briefing_for(report, seed):
    matches = [b for b in report.briefings if b.seed_name == seed]
    assert matches, f"{seed}: no briefing (skipped: {report.skipped}; duplicates: {report.duplicates})"
    return matches[0]


def test_every_fixture_seed_has_expectations():
    assert sorted(path.name for path in seed_files(SEED_DIR)) == sorted(EXPECTED)


@pytest.mark.parametrize("seed, key", cases())
def test_fixture_fact(seed, key, converted, request):
    report, printed = converted
    expected = EXPECTED[seed].get(key)
    if key == "skipped":
        assert (seed, expected) in [(name, reason.split()[0]) for name, reason in report.skipped]
        assert re.search(rf"SKIP\s+{re.escape(seed)}\s+{expected}", printed)
        assert all(b.seed_name != seed for b in report.briefings)
        return
    if key == "duplicate_of":
        assert {(d.seed_name, d.kept) for d in report.duplicates} >= {(seed, expected)}
        assert all(b.seed_name != seed for b in report.briefings)
        assert re.search(rf"DUP\s+{re.escape(seed)}\s+duplicate of {re.escape(expected)}", printed)
        assert seed in [d.seed_name for d in briefing_for(report, expected).duplicates]
        return
    if key == "literal":
        check_literal(request.getfixturevalue("fixture_pages")[seed], expected)
        return
    CHECKS[key](briefing_for(report, seed), expected)


def check_title(b, expected):
    assert b.title == expected


def check_title_starts(b, expected):
    # A headline may drop the lede's leading article ("The United States …" → "United States …").
    assert LEADING_ARTICLE.sub("", b.title).startswith(LEADING_ARTICLE.sub("", expected)), b.title
    assert b.title_from == "lede"
    # A headline, not the whole lede: short, whole words, no dangling end.
    assert len(b.title) <= 90 and all(word in b.paragraphs[0] for word in b.title.split())
    assert b.title.split()[-1].strip(",;:").casefold() not in {"a", "an", "the", "of", "and", "to",
                                                                "in", "for", "with", "by", "on"}


def check_date(b, expected):
    assert b.date is not None and b.date.iso() == expected


def check_undated(b, expected):
    assert (b.date is None) is expected


def check_source(b, expected):
    assert b.source == expected


def check_author(b, expected):
    assert b.author == expected


def check_dateline(b, expected):
    assert b.dateline.casefold() == expected.casefold()
    assert not b.paragraphs[0].casefold().startswith(expected.casefold())


def check_caption(b, expected):
    assert FILE_MARKER.sub("", b.caption) == expected
    assert all(one_space(expected) not in one_space(p) for p in b.paragraphs)
    assert expected not in b.title


def check_credit(b, expected):
    assert b.credit == expected


def check_tags(b, expected):
    assert b.tags[: len(expected)] == expected


def check_genre(b, expected):
    if expected == "Opinion":
        assert b.genre == "Opinion" and "Opinion" in b.tags
    else:
        assert b.genre != "Opinion" and "Opinion" not in b.tags


def check_warning(b, expected):
    assert any(expected.casefold() in warning.casefold() for warning in b.warnings), b.warnings


def check_removed(b, expected):
    removed = [item.text for item in b.removed]
    for line in expected:
        assert line.strip() in removed
    body = one_space(" ".join(b.paragraphs))
    assert all(one_space(line) not in body for line in expected)


def check_body_has(b, expected):
    body = one_space(" ".join(b.paragraphs))
    for sentence in expected:
        assert one_space(sentence) in body


def is_entity_link(element) -> bool:
    """The one link the site itself adds to a body: an entity's first mention."""
    return (element.name == "a" and element.get("class") == ["entity-link"]
            and element["href"].startswith("../entity/"))


def is_own_script(element) -> bool:
    """A script file of the site itself (relative src, no inline code)."""
    src = element.get("src", "")
    return bool(src) and ":" not in src and not element.string


def check_literal(page, strings):
    """Visible text of the body, never markup, a link, metadata or an evaluated template."""
    body = page.select_one(".h-entry .e-content")
    visible = one_space(body.get_text())
    for string in strings:
        assert one_space(string) in visible
    assert [p.name for p in body.find_all(MARKUP_FROM_TEXT) if not is_entity_link(p)] == []
    scripts = [s for s in page.find_all("script")
               if s.get("type") != "application/ld+json" and not is_own_script(s)]
    assert scripts == []
    for element in page.find_all(True):
        for name, value in element.attrs.items():
            assert not name.startswith("on"), element
            assert "javascript:" not in str(value), element


CHECKS = {
    "title": check_title, "title_starts": check_title_starts, "date": check_date,
    "undated": check_undated, "source": check_source, "author": check_author,
    "dateline": check_dateline, "caption": check_caption, "credit": check_credit,
    "tags": check_tags, "genre": check_genre, "warning": check_warning,
    "removed": check_removed, "body_has": check_body_has,
}


@pytest.mark.parametrize("seed", sorted(path.name for path in seed_files(SEED_DIR)))
def test_nothing_is_lost(seed):
    """Every character of the seed is in the body or the removed list, exactly once."""
    try:
        b = convert_seed(seed, (SEED_DIR / seed).read_bytes())
    except UnreadableSeed:
        assert "skipped" in EXPECTED[seed]
        return
    assert uncovered(b.seed_text, b.paragraphs + [item.text for item in b.removed]) == ""


def test_duplicates_are_listed_on_the_kept_briefing_page(fixture_pages, fixture_site):
    page = fixture_pages["date_published_leap_day.txt"]
    duplicates = page.select(".provenance .duplicates a")
    assert [a.get_text() for a in duplicates] == ["duplicate_exact.txt"]
    copy = (fixture_site / "briefings" / duplicates[0]["href"]).resolve()
    assert copy.read_bytes() == b"\xef\xbb\xbf" + (SEED_DIR / "duplicate_exact.txt").read_bytes()
    assert "duplicate_exact.txt" not in fixture_pages


def test_opinion_is_labelled_on_the_page_and_in_json_ld(fixture_pages):
    page = fixture_pages["opinion_first_person_plural.txt"]
    assert one_space(page.select_one(".meta .genre").get_text()) == "Opinion"
    assert "Opinion" in [a.get_text() for a in page.select(".tags a")]
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["genre"] == "Opinion"
    news = fixture_pages["dateline_peshawar_caps.txt"]
    assert news.select_one(".meta .genre") is None
    assert "genre" not in json.loads(news.select_one('script[type="application/ld+json"]').string)


def test_undecodable_seed_still_builds_with_its_warning(fixture_pages):
    page = fixture_pages["undecodable_bytes.txt"]
    assert "decod" in one_space(page.select_one(".warnings").get_text())


TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-",
                            "\u00a0": " ", "…": "..."})


def reader_text(text: str) -> str:
    """Text as compared on the page: typogrify's quotes, dashes and ellipses undone."""
    return one_space(text.translate(TYPOGRAPHY).replace("---", "-").replace("--", "-"))


def test_every_sentence_and_removed_line_reaches_the_briefing_page(converted, fixture_pages):
    """What the converter kept is on the page: each sentence in the body, each removed line in
    the collapsed list, for every fixture seed that became a briefing."""
    report, _ = converted
    checked = 0
    for b in report.briefings:
        page = fixture_pages[b.seed_name]
        body = reader_text(page.select_one(".h-entry .e-content").get_text())
        for paragraph in b.paragraphs:
            for sentence in split_sentences(paragraph):
                assert reader_text(sentence) in body, (b.seed_name, sentence)
                checked += 1
        removed = reader_text(page.select_one("details.removed").get_text()) if b.removed else ""
        for item in b.removed:
            assert reader_text(item.text) in removed, (b.seed_name, item.text)
    assert checked > 250  # the corpus has about 270 sentences: not an empty check
