"""Title lines and publishers, captions, credits, datelines and bylines."""

import pytest

from briefing.sources import (find_byline, is_caption, is_credit, split_caption, split_dateline,
                              split_title_line)


@pytest.mark.parametrize("line, expected", [
    ("Pakistan, US join hands against Pakistan’s Taliban – The Diplomat",
     ("Pakistan, US join hands against Pakistan’s Taliban", "The Diplomat")),
    ("Taliban retake Spin Boldak district | Al Jazeera", ("Taliban retake Spin Boldak district", "Al Jazeera")),
    ("Militants attack check post in North Waziristan - Dawn", ("Militants attack check post in North Waziristan", "Dawn")),
    ("Nine soldiers killed in Zhob | Conflict News | Al Jazeera", ("Nine soldiers killed in Zhob", "Al Jazeera")),
    ("Pakistan and the Taliban – A Relationship Under Strain – The Diplomat",
     ("Pakistan and the Taliban – A Relationship Under Strain", "The Diplomat")),
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
    ("ISLAMABAD, Jan 5 (Reuters) - Pakistan said on Monday", ("ISLAMABAD", "Reuters", "Pakistan said on Monday")),
    ("KABUL, Afghanistan (AP) — The Taliban said", ("KABUL", "AP", "The Taliban said")),
    ("Note: This story was updated", None),
    ("Imran Khan - Closely aligned with Taliban", None),
])
def test_datelines(line, expected):
    assert split_dateline(line) == expected


def test_byline():
    assert find_byline("By Jane Doe, Staff Reporter") == "Jane Doe"
    assert find_byline("BY Sadia Rahimi | Islamabad") == "Sadia Rahimi"
    assert find_byline("Reporting by Asif Shahzad") == "Asif Shahzad"
    assert find_byline("By the end of the week the talks had collapsed and nothing was agreed at all.") is None


@pytest.mark.parametrize("line, caption, credit", [
    ("A Taliban fighter stands guard in Kabul, August 17, 2021. Reuters",
     "A Taliban fighter stands guard in Kabul, August 17, 2021.", "Reuters"),
    ("Taliban fighters stand guard in Kabul. (AFP)", "Taliban fighters stand guard in Kabul.", "AFP"),
    ("Police at the blast site in Quetta | Associated Press", "Police at the blast site in Quetta",
     "Associated Press"),
    ("FILE – Troops patrol the fence, August 3, 2021.", "FILE – Troops patrol the fence, August 3, 2021.", ""),
])
def test_a_caption_ending_in_an_agency_gives_the_credit(line, caption, credit):
    assert split_caption(line) == (caption, credit)
