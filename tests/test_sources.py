"""Title lines and publishers, captions, credits, datelines and bylines."""

import pytest

from briefing.sources import find_byline, is_caption, is_credit, split_dateline, split_title_line


@pytest.mark.parametrize("line, expected", [
    ("Pakistan, US join hands against Pakistan’s Taliban – The Diplomat",
     ("Pakistan, US join hands against Pakistan’s Taliban", "The Diplomat")),
    ("Taliban retake Spin Boldak district | Al Jazeera", ("Taliban retake Spin Boldak district", "Al Jazeera")),
    ("Militants attack check post in North Waziristan - Dawn", ("Militants attack check post in North Waziristan", "Dawn")),
    ("Imran Khan - Closely aligned with Taliban", None),
    ("A sentence – with a dash – and more words after it.", None),
])
def test_title_line_split(line, expected):
    assert split_title_line(line) == expected


@pytest.mark.parametrize("line, caption", [
    ("Pakistani Prime Minister Imran Khan - Closely aligned with Taliban. Associated Press", True),
    ("FILE – Pakistan Army troops patrol along the fence on the border, August 3, 2021.", True),
    ("Taliban fighters stand guard in Kabul. (Reuters)", True),
    ("Taliban political spokesman Suhail Shaheen told Reuters.", False),
    ("The US has accused Pakistan of supporting the Taliban for decades.", False),
])
def test_captions(line, caption):
    assert is_caption(line) is caption


def test_credits():
    assert is_credit("Credit: AP Photo/Anjum Naveed, File")
    assert not is_credit("The credit for the deal goes to Qatar.")


@pytest.mark.parametrize("line, expected", [
    ("Washington: Barely a couple of years after", ("Washington", "", "Barely a couple of years after")),
    ("PESHAWAR: Militants attacked a police post", ("PESHAWAR", "", "Militants attacked a police post")),
    ("ISLAMABAD (Reuters) - Pakistan said on Monday", ("ISLAMABAD", "Reuters", "Pakistan said on Monday")),
    ("Note: This story was updated", None),
    ("Imran Khan - Closely aligned with Taliban", None),
])
def test_datelines(line, expected):
    assert split_dateline(line) == expected


def test_byline():
    assert find_byline("By Jane Doe, Staff Reporter") == "Jane Doe"
    assert find_byline("By the end of the week the talks had collapsed and nothing was agreed at all.") is None
