"""Duplicates: the same article twice (exactly, or with different boilerplate) is found; the
later seed in name order is the duplicate; different articles on the same story are not."""

import hashlib
import random

import pytest

import briefing.duplicates as duplicates
from briefing.duplicates import find_duplicates, fingerprint, settle_duplicates
from briefing.model import Briefing
from briefing.rules import load

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


@pytest.mark.parametrize("words", [[], ["kabul"], ["ﬁve", "übung", "日本", "kabul"], STORY[0].casefold().split() * 3])
@pytest.mark.parametrize("size", [1, 3, 5])
def test_each_run_of_words_is_hashed_as_its_words_joined(words, size):
    """The shingles are the fixed hashes of each run of `size` words, joined by spaces (of all
    the words, when there are fewer): hashed from the encoded text, they must be the same."""
    def hashed(text):
        return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")

    runs = [words[i:i + size] for i in range(max(1, len(words) - size + 1))]
    assert duplicates.shingle_hashes(words, size) == {hashed(" ".join(run)) for run in runs}


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


# The incremental pass (settle_duplicates with the last run's verdicts) must agree with a full
# pass (no verdicts) after any change: seeds edited, added, removed, made distinct.

WORDS = ("police minister court flood border election budget school hospital river market "
         "bridge village council strike protest harvest train airport storm").split()


def sentence(rng, n):
    """A sentence of its own (numbered), from a small vocabulary so that texts overlap."""
    return f"Report {n} says " + " ".join(rng.choice(WORDS) for _ in range(10)) + "."


def text_of(rng, pool):
    return [" ".join(rng.sample(pool, 4)) for _ in range(rng.randint(1, 3))]


def with_print(name, paragraphs, seed_text=None):
    made = briefing(name, paragraphs, seed_text)
    made.fingerprint = fingerprint(made.paragraphs, made.seed_text)
    return made


def change_one(rng, seeds: dict, distinct: set, pool: list, counter: list) -> None:
    """One random change of the kind an editor makes to a folder of seeds."""
    names = sorted(seeds)
    name = rng.choice(names)
    other = seeds[rng.choice(names)]
    kind = rng.choice(["append", "copy", "near copy", "shorter copy", "other boilerplate", "new",
                       "new copy", "delete", "distinct", "short", "restore"])
    if kind == "append":
        seeds[name] = seeds[name] + [rng.choice(pool)]
    elif kind == "copy":
        seeds[name] = list(other)
    elif kind == "near copy":
        seeds[name] = other[:-1] + [other[-1].replace(" ", " also ", 1)]
    elif kind == "shorter copy":
        seeds[name] = other[: max(1, len(other) - 1)]
    elif kind == "other boilerplate":
        seeds[name] = ["Share this", *seeds[name]] if seeds[name][0] != "Share this" else seeds[name][1:]
    elif kind in ("new", "new copy"):
        counter[0] += 1
        new_name = f"{rng.randrange(100):02}-{counter[0]}.txt"  # anywhere in name order
        seeds[new_name] = list(other) if kind == "new copy" else text_of(rng, pool)
    elif kind == "delete" and len(seeds) > 2:
        del seeds[name]
    elif kind == "distinct":
        distinct ^= {name}
    elif kind == "short":
        seeds[name] = ["Too short to be matched unless identical."]
    elif kind == "restore":
        seeds[name] = list(seeds.get(rng.choice(names), other))


def as_briefings(seeds: dict) -> list:
    made = []
    for name in sorted(seeds):
        paragraphs = [p for p in seeds[name] if p != "Share this"]
        made.append(with_print(name, paragraphs, "\n".join(seeds[name])))
    return made


@pytest.mark.parametrize("max_postings", [50, 3])
@pytest.mark.parametrize("seed", range(6))  # 4 with 3: a removal crossing the limit
def test_the_incremental_pass_agrees_with_a_full_pass_after_every_change(monkeypatch, max_postings,
                                                                          seed):
    settings = {**load("duplicates"), "sketch_max_postings": max_postings}
    monkeypatch.setattr(duplicates, "load", lambda name: settings)
    rng = random.Random(seed)
    pool = [sentence(rng, n) for n in range(12)]  # few sentences: many shared sketch values
    seeds = {f"{n:02}-0.txt": text_of(rng, pool) for n in range(0, 100, 4)}
    distinct: set[str] = set()
    counter = [0]
    verdicts: dict[str, str] = {}
    matched = []
    monkeypatch.setattr(duplicates.KeptIndex, "match",
                        lambda self, current, match=duplicates.KeptIndex.match:
                        matched.append(1) or match(self, current))
    for _ in range(60):
        for _ in range(rng.randint(1, 3)):
            change_one(rng, seeds, distinct, pool, counter)
        briefings = as_briefings(seeds)
        matched.clear()
        found, verdicts = settle_duplicates(briefings, distinct, verdicts)
        incremental = len(matched)
        expected, full_verdicts = settle_duplicates(briefings, distinct, {})
        assert found == expected
        assert verdicts == full_verdicts  # what the next run starts from
        assert incremental < len(matched) or not verdicts
    assert any(d for d in expected)  # the changes did make duplicates


def names_and_kept(found):
    return [(d.seed_name, d.kept) for d in found]


LONGER = STORY + ["Funerals were held on Saturday under tight security in the old city, where "
                  "shops stayed closed and traders observed a day of mourning for the victims."]
OTHER = ["The provincial government announced compensation for the families of those killed and "
         "said the mosque would be rebuilt at the state’s expense within a year, while police "
         "arrested three suspects in the old city on Sunday night and questioned dozens more."] * 2


@pytest.mark.parametrize("before, after, expected", [
    # an edit that makes a pair, and one that breaks it
    ({"a": STORY, "b": OTHER}, {"a": STORY, "b": STORY}, [("b", "a")]),
    ({"a": STORY, "b": STORY}, {"a": STORY, "b": OTHER}, []),
    # the kept original removed: its copy stands alone, and then stands for a later copy
    ({"a": STORY, "b": STORY, "c": STORY}, {"b": STORY, "c": STORY}, [("c", "b")]),
    # a new seed earlier in name order is kept: the old original becomes its duplicate
    ({"b": STORY, "c": OTHER}, {"a": STORY, "b": STORY, "c": OTHER}, [("b", "a")]),
    # a new seed that repeats an old one
    ({"a": STORY, "b": OTHER}, {"a": STORY, "b": OTHER, "c": OTHER}, [("c", "b")]),
    # the original grows: its shorter copy is still one, and the longer later copy no longer is
    ({"a": STORY, "b": STORY, "c": LONGER}, {"a": LONGER, "b": STORY, "c": LONGER},
     [("b", "a"), ("c", "a")]),
    # the original shrinks: a later, longer text is kept again (and a chain moves to it)
    ({"a": LONGER, "b": STORY, "c": LONGER}, {"a": OTHER, "b": STORY, "c": LONGER}, []),
])
def test_edits_that_make_or_break_a_duplicate(before, after, expected):
    _, verdicts = settle_duplicates(as_briefings(before), set(), {})
    found, kept_verdicts = settle_duplicates(as_briefings(after), set(), verdicts)
    assert names_and_kept(found) == expected
    assert (found, kept_verdicts) == settle_duplicates(as_briefings(after), set(), {})


def test_only_the_seeds_a_change_can_reach_are_matched_again(monkeypatch):
    rng = random.Random(7)
    seeds = {f"{n:03}": [" ".join(f"w{rng.randrange(10**6)}" for _ in range(60))] for n in range(40)}
    _, verdicts = settle_duplicates(as_briefings(seeds), set(), {})
    seeds["020"] = seeds["020"] + ["The ministry later corrected the figure."]
    seeds["030"] = seeds["010"]
    matched = []
    original = duplicates.KeptIndex.match
    monkeypatch.setattr(duplicates.KeptIndex, "match",
                        lambda self, current: matched.append(current.text_hash) or original(self, current))
    found, _ = settle_duplicates(as_briefings(seeds), set(), verdicts)
    assert names_and_kept(found) == [("030", "010")] and len(matched) == 2


@pytest.mark.parametrize("damage", [
    lambda verdicts: {name: "not a verdict" for name in verdicts},
    lambda verdicts: {name: text.replace("\t", "\tz", 4) for name, text in verdicts.items()},
    lambda verdicts: {name: text.rsplit("\t", 1)[0] + "\tno such seed" for name, text in verdicts.items()},
])
def test_damaged_verdicts_only_cost_time(damage):
    seeds = {"a": STORY, "b": OTHER, "c": STORY, "d": LONGER}
    _, verdicts = settle_duplicates(as_briefings(seeds), set(), {})
    seeds["b"] = STORY
    assert settle_duplicates(as_briefings(seeds), set(), damage(verdicts)) == \
        settle_duplicates(as_briefings(seeds), set(), {})
