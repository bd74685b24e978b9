"""Genre: Opinion when the writer speaks for a "we" or a label says so; quoted "we" is news."""

import pytest

from briefing.genre import detect_genre
from briefing.pipeline import convert_seed

OPINION_TEXT = [
    "For two decades, our country has told itself that a friendly government in Kabul would "
    "secure our western border.",
    "We must stop speaking for the Taliban in international forums. Our leverage is running out.",
]


def test_first_person_plural_with_a_stance_is_opinion():
    assert detect_genre(OPINION_TEXT, []) == "Opinion"


@pytest.mark.parametrize("paragraphs", [
    ["“We must act now, and our country will not wait,” the minister said. “We are ready and our "
     "forces are prepared,” he added. We will see, said the US envoy."],
    ["The US and Pakistan agreed on Monday to hold talks in Doha about border security."],
    ['"We cannot abandon our children, we will not abandon our vaccinators," said Dr Faisal.'],
])
def test_quoted_we_and_the_us_are_news(paragraphs):
    assert detect_genre(paragraphs, []) == ""


def test_a_label_above_the_text_decides():
    assert detect_genre(["The army said on Monday that the road was open."], ["OPINION"]) == "Opinion"


@pytest.mark.parametrize("title_line, title", [
    ("Opinion: Time to rethink the Afghan policy", "Time to rethink the Afghan policy"),
    ("Time to rethink the Afghan policy | Opinion | Dawn", "Time to rethink the Afghan policy"),
    ("EDITORIAL | Time to rethink the Afghan policy", "Time to rethink the Afghan policy"),
])
def test_a_genre_label_in_the_title_line_labels_and_leaves_the_title(title_line, title):
    b = convert_seed("x.txt", f"{title_line}\n\nThe army said on Monday that the road to Torkham "
                              "was open again after a week of talks.\n".encode())
    assert (b.genre, b.title) == ("Opinion", title)


def test_a_colon_title_that_is_not_a_label_is_left_alone():
    b = convert_seed("x.txt", "Analysis: Why the Torkham talks failed\n\nThe army said on Monday "
                              "that the road was open again after a week of talks.\n".encode())
    assert (b.genre, b.title) == ("", "Analysis: Why the Torkham talks failed")
