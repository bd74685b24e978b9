"""Headlines made from the lede: the main clause, short, whole words, no dangling end."""

import pytest

from briefing.headline import headline_from_lede

NO_END = {"a", "an", "the", "of", "and", "to", "in", "for", "with", "its", "their"}


@pytest.mark.parametrize("lede, headline", [
    ("CNN reported on Saturday that the US is formalizing an agreement with Pakistan to use its "
     "airspace for military and intelligence operations in Afghanistan. The Taliban objected.",
     "US is formalizing an agreement with Pakistan to use its airspace"),
    ("In the face of growing social and political security caused by the TTP’s untimely "
     "resurgence, the US is back in Pakistan with a renewed zeal for counterterrorism which has "
     "formed the core of America’s South-Asian policy in the last decade.",
     "US is back in Pakistan with a renewed zeal for counterterrorism"),
    ("Barely a couple of years after compelling the United States (US) to pull out its military "
     "forces from Afghanistan, the Afghan Taliban have started engaging with their former "
     "adversaries – this time as allies.",
     "Afghan Taliban have started engaging with their former adversaries – this time as allies"),
    ("According to the New York Times, the US is searching for proxies in Afghanistan.",
     "US is searching for proxies in Afghanistan"),
    ("Taliban fighters seized the border crossing at Torkham on Monday.",
     "Taliban fighters seized the border crossing at Torkham on Monday"),
])
def test_headline_from_lede(lede, headline):
    assert headline_from_lede(lede) == headline


def test_long_lede_is_cut_on_a_phrase_boundary_not_mid_word():
    lede = ("The Pentagon and US State Department have been pursuing former Soviet republics to "
            "Afghanistan’s north as places to continue operations after the September 2021 "
            "withdrawal, but have so far had little luck.")
    headline = headline_from_lede(lede)
    assert len(headline) <= 90
    assert lede.replace("The ", "", 1).startswith(headline)  # whole words from the lede
    assert headline.split()[-1].lower() not in NO_END
