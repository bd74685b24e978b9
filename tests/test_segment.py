"""Logical lines: blocks, indented paragraphs, hard-wrapped lines joined, lists kept apart."""

from briefing.segment import split_lines


def texts(text):
    return [line.text for line in split_lines(text)]


def test_blank_lines_separate_paragraphs_and_indentation_is_dropped():
    assert texts("    First paragraph.\n\n    Second paragraph.\n") == ["First paragraph.", "Second paragraph."]


def test_hard_wrapped_lines_are_joined():
    text = ("The Pentagon and US State Department have been pursuing former Soviet\n"
            "republics to Afghanistan's north as places to continue operations after\n"
            "the September 2021 withdrawal.\n")
    assert texts(text) == [" ".join(text.split())]


def test_one_paragraph_per_line_stays_apart():
    text = "The first sentence ends here.\nThe second paragraph starts here.\n"
    assert texts(text) == ["The first sentence ends here.", "The second paragraph starts here."]


def test_short_lines_of_a_list_stay_apart():
    text = ("US Military Has Already Begun 'Over-the-Horizon' Operations Amid Withdrawal\n"
            "Taliban 'Running Social Security Net For 30,000 Families'\n"
            "US withdrawal, Afghanistan, Pakistan, Imran Khan, CIA\n")
    assert len(texts(text)) == 3


def test_line_numbers_point_into_the_seed():
    lines = split_lines("Title\n\nFirst paragraph.\n")
    assert [line.number for line in lines] == [1, 3]


def test_a_date_statement_under_a_title_is_a_line_of_its_own():
    """Scrapers often put the date on the line right under the title, in lower case."""
    text = "Pakistan and Iran reopen Taftan crossing - Dawn\ndate 2024-12-14 10:32\n\nBody.\n"
    assert texts(text) == ["Pakistan and Iran reopen Taftan crossing - Dawn", "date 2024-12-14 10:32", "Body."]
