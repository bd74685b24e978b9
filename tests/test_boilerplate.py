"""Boilerplate rules: phrases and patterns from the data file, glued scraps, tag lines."""

import pytest

from briefing.boilerplate import boilerplate_reason, looks_like_headline, parse_tag_line, split_glued


@pytest.mark.parametrize("line, reason", [
    ("Listen Live", "audio player"),
    ("Get short URL", "share link"),
    ("Advertisement", "advertisement"),
    ("Weekly NewsletterN", "newsletter prompt"),
    ("Get the newsletter", "newsletter prompt"),
    ("Catch up on the story of the week and develop stories to watch across Asia Pacific.", "newsletter prompt"),
    ("Do you like this article? Click here to subscribe for full access. Only $5 per month.", "newsletter prompt"),
    ("Community standards", "reader discussion"),
    ("Read more: Taliban seize Kabul", "related link"),
    ("Related: Pakistan army chief visits Washington", "related link"),
    ("Share this article", "share link"),
    ("*", "lone symbol"),
    ("Already a subscriber? Log in", "subscription prompt"),
    ("© 2023 Dawn Media Group. All rights reserved.", "copyright notice"),
    ("https://www.dawn.com/news/1712345/militants-attack", "web address"),
    ("4 min read", "reading time"),
    ("Most read", "site navigation"),
    ("Reporting by Asif Shahzad; Editing by Mark Heinrich", "agency sign-off"),
])
def test_boilerplate_lines(line, reason):
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize("line", [
    "The US has accused Pakistan of supporting the Taliban for decades.",
    "Readers were urged to subscribe to the government’s alerts as the army moved into the valley "
    "and the roads were closed for several days while soldiers searched houses.",
    "Share prices fell in Karachi after the announcement.",
    "Copyright lawyers in Lahore said the ruling would be appealed before the high court next week.",
    "Home Minister Zia Lanjar said the road would reopen on Friday.",
])
def test_article_text_is_not_boilerplate(line):
    assert boilerplate_reason(line) is None


@pytest.mark.parametrize("line, rest, scraps", [
    ("Credit: AP Photo/Anjum Naveed, FileAdvertisement", "Credit: AP Photo/Anjum Naveed, File",
     [("glued artefact", "Advertisement")]),
    ("Community standardsDiscussion", "Community standards", [("glued artefact", "Discussion")]),
    ("with the US and European partners. *", "with the US and European partners.",
     [("lone symbol", "*")]),
    ("Nothing glued here.", "Nothing glued here.", []),
])
def test_glued_scraps_are_cut_off(line, rest, scraps):
    assert split_glued(line) == (rest, scraps)


def test_tag_line():
    assert parse_tag_line("US withdrawal, Afghanistan, Pakistan, Imran Khan, CIA") == [
        "US withdrawal", "Afghanistan", "Pakistan", "Imran Khan", "CIA"]


@pytest.mark.parametrize("line", [
    "Pakistan, the US and China met in Doha, Qatar, last week to talk.",
    "However, while Islamabad won’t cooperate, Afghan President Ashraf Ghani has signaled help.",
])
def test_sentences_with_commas_are_not_tag_lines(line):
    assert parse_tag_line(line) is None


def test_related_headline_shape():
    assert looks_like_headline("Taliban 'Running Social Security Net For 30,000 Families of \"Martyrs\" In Afghanistan'")
    assert not looks_like_headline("The US has accused Pakistan of supporting the Taliban for decades.")
