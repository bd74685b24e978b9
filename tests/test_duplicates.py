"""Duplicates: the same article twice (exactly, or with different boilerplate) is found; the
later seed in name order is the duplicate; different articles on the same story are not."""

from briefing.duplicates import find_duplicates
from briefing.model import Briefing

STORY = [
    "At least 56 worshippers were killed and nearly 200 injured when a suicide bomber struck a "
    "Shia mosque in the Kocha Risaldar area of Peshawar’s old city during Friday prayers.",
    "Police said the attacker shot dead a policeman guarding the entrance before entering the "
    "mosque and detonating his explosive vest among the worshippers.",
    "The Islamic State Khorasan Province claimed responsibility for the attack through its Amaq "
    "news agency, and Prime Minister Imran Khan condemned the bombing.",
]


def briefing(name, paragraphs, seed_text=None):
    return Briefing(seed_name=name, paragraphs=paragraphs, seed_text=seed_text or "\n".join(paragraphs))


def test_identical_file_and_same_text_with_other_boilerplate():
    found = find_duplicates([briefing("a.txt", STORY), briefing("b.txt", STORY),
                             briefing("c.txt", STORY, "Share this\n" + "\n".join(STORY))])
    assert [(d.seed_name, d.kept, d.reason) for d in found] == [
        ("b.txt", "a.txt", "identical file"), ("c.txt", "a.txt", "same article text")]


def test_near_identical_text_is_a_duplicate():
    edited = STORY[:2] + [STORY[2].replace("and Prime Minister", "while Prime Minister")]
    found = find_duplicates([briefing("a.txt", STORY), briefing("b.txt", edited)])
    assert [(d.seed_name, d.kept) for d in found] == [("b.txt", "a.txt")]
    assert found[0].reason.startswith("near-identical text")


def test_a_shorter_later_copy_is_a_duplicate_but_a_longer_one_is_kept():
    longer = STORY + ["Funerals were held on Saturday under tight security in the old city, where "
                      "shops stayed closed and traders observed a day of mourning for the victims."]
    assert [(d.seed_name, d.kept) for d in find_duplicates([briefing("a.txt", longer),
                                                             briefing("b.txt", STORY)])] == [("b.txt", "a.txt")]
    assert find_duplicates([briefing("a.txt", STORY), briefing("b.txt", longer)]) == []


def test_another_article_on_the_same_story_is_not_a_duplicate():
    other = [STORY[0], "The provincial government announced compensation for the families of "
             "those killed and said the mosque would be rebuilt at the state’s expense within a "
             "year, while police arrested three suspects in the old city on Sunday night."]
    assert find_duplicates([briefing("a.txt", STORY), briefing("b.txt", other)]) == []


def test_editor_can_keep_a_seed_distinct():
    assert find_duplicates([briefing("a.txt", STORY), briefing("b.txt", STORY)], {"b.txt"}) == []


def test_daily_reports_in_one_mould_are_not_duplicates():
    seeds = [briefing(f"{n:03}.txt", [f"Report number {n} from the customs office says that {n * 7} "
                                      f"trucks crossed the border at Torkham on day {n} of the "
                                      f"month while {n * 3} were turned back at the gate, and "
                                      f"officials counted {n * 11} travellers waiting in the queue "
                                      f"on the Pakistani side before the crossing closed at dusk."])
             for n in range(300)]
    assert find_duplicates(seeds) == []
