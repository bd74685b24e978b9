"""Publication dates: every stated shape, precision kept, impossible dates refused."""

import pytest

from briefing.dates import find_published_date, is_relative_date, parse_date
from briefing.model import Line


@pytest.mark.parametrize("first_line, expected_iso, rest", [
    (" date 2021-10-24 Pakistani Prime Minister Imran Khan", "2021-10-24", "Pakistani Prime Minister Imran Khan"),
    ("10:34 GMT25 July 2021", "2021-07-25", ""),
    ("14:20 GMT 27.08.2021", "2021-08-27", ""),
    ("Published: 29 February 2020", "2020-02-29", ""),
    ("Updated 3 March 2022 10:15 PKT", "2022-03-03", ""),
    ("October 5, 2021", "2021-10-05", ""),
    ("5 Oct 2021", "2021-10-05", ""),
    ("Tue, 05 Oct 2021 10:00:00 +0000", "2021-10-05", ""),
    ("5 Oct 21", "2021-10-05", ""),
    ("March 2022", "2022-03", ""),
    ("2022-11-28T06:30:00Z", "2022-11-28", ""),
    ("Published On 12 Jul 2023", "2023-07-12", ""),
    ("Published: 14/08/21", "2021-08-14", ""),
    ("09:05 GMT 04.11.2021", "2021-11-04", ""),
    ("31 جنوری 2023", "2023-01-31", ""),
])
def test_stated_dates_are_parsed_with_their_precision(first_line, expected_iso, rest):
    found = find_published_date([Line(first_line, 0, 1), Line("Body text follows here.", 1, 3)])
    assert found.date.iso() == expected_iso
    assert found.rest == rest


def test_impossible_date_warns_and_stays_undated():
    found = find_published_date([Line("date 2021-02-30 Text of the lede", 0, 1)])
    assert found.date is None
    assert "2021-02-30" in found.warning
    assert found.rest == "Text of the lede"


def test_no_date_is_not_invented():
    lines = [Line("Pakistan, US join hands – The Diplomat", 0, 1), Line("The United States has offered.", 1, 3)]
    assert find_published_date(lines) is None


def test_a_date_deep_in_the_text_is_not_the_publication_date():
    lines = [Line(f"Paragraph {n} of the story goes on.", n, n) for n in range(10)]
    lines.append(Line("25 July 2021", 10, 10))
    assert find_published_date(lines) is None


@pytest.mark.parametrize("text, precision", [("2021-10-24", "day"), ("July 2021", "month")])
def test_missing_parts_are_never_filled_from_today(text, precision):
    assert parse_date(text).precision == precision


@pytest.mark.parametrize("line, relative", [
    ("Published 3 hours ago", True), ("Updated: yesterday at 10:15", True), ("2 days ago", True),
    ("Published: 3 March 2022", False), ("Three days ago the talks collapsed in Doha.", False),
])
def test_relative_dates_are_recognised_not_computed(line, relative):
    assert is_relative_date(line) is relative
    assert find_published_date([Line(line, 0, 1)]) is None or not relative


def test_a_date_that_reads_both_ways_is_read_day_first_with_a_warning():
    found = find_published_date([Line("Published: 04/11/2021", 0, 1)])
    assert found.date.iso() == "2021-11-04"
    assert found.warning == "ambiguous date '04/11/2021' read day first as 4 November 2021"
    assert find_published_date([Line("Published: 14/08/21", 0, 1)]).warning == ""
    assert find_published_date([Line("09:05 GMT 04.11.2021", 0, 1)]).warning == ""  # GMT wire style
