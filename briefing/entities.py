"""People, organisations and places a briefing names.

Known actors come from the gazetteer (`data/gazetteer.toml`: canonical name, type, aliases), so
"Tehreek-e-Taliban Pakistan", "Pakistan’s Taliban" and "TTP" are one entity. New actors are found
without any list of names, from the cues around a capitalised run of words (`data/entities.toml`):
a title or role before it ("spokesman Sajid Iqbal", "Brigadier General Hossein Nikpour"), an
organisation's head word ("Amaq News Agency"), a place cue ("near Bannu", "… province"), or the
run recurring in the text. Precision first: a lone capitalised word needs a place cue, and a
sentence opener, month or weekday is never a name.
"""

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .keywords import not_names
from .model import Briefing, Entity
from .rules import load
from .text import split_sentences

TYPES = ("person", "organisation", "place")
TOKEN = re.compile(r"[A-Za-z][\w-]*(?:[’'][A-Za-z]+)?")
ABBREVIATED_TITLE = re.compile(r"\b(Gen|Lt|Col|Maj|Capt|Dr|Mr|Mrs|Ms|Adm|Brig|Sgt|Gov|Sen|Prof)\.")


@dataclass(frozen=True)
class Known:
    """One gazetteer entry."""

    name: str
    type: str
    description: str
    aliases: tuple[str, ...]


@dataclass
class Span:
    """A name found in one piece of text: where, what it is, and how it is written."""

    start: int
    end: int
    name: str
    type: str
    text: str
    known: bool


@cache
def gazetteer() -> dict[str, Known]:
    """Canonical name → gazetteer entry."""
    return {entry["name"]: Known(entry["name"], entry["type"], entry.get("description", ""),
                                 tuple(entry.get("aliases", [])))
            for entry in load("gazetteer")["entity"]}


@cache
def rules() -> dict:
    return load("entities")


def in_capitals(form: str) -> bool:
    """'US', 'IS-K', 'U.S.', 'LeT', 'DoD': matched only as written, or 'us', 'is' and 'let'
    would be names."""
    capitals = sum(char.isupper() for char in form)
    return (form.upper() == form and capitals > 0) or (" " not in form and capitals >= 2
                                                        and "-" not in form)


@cache
def known_forms() -> tuple[list[tuple[str, bool]], dict[str, str], dict[str, str]]:
    """Every name and alias (True: matched only as written), and the lookups back to names."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    forms = []
    for entry in gazetteer().values():
        for form in (entry.name, *entry.aliases):
            if in_capitals(form):
                exact[form] = entry.name
            else:
                folded[form.casefold()] = entry.name
            forms.append((form, in_capitals(form)))
    return forms, exact, folded


WORD = re.compile(r"\w+")
FIRST_WORD = re.compile(r"(\w+)(.?)", re.DOTALL)
# The only characters that re's IGNORECASE takes for an ASCII letter but str.lower() does not
# turn into it (found by trying every code point: see tests/test_entities.py).
ASCII_LOOKALIKES = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "\u212a": "k"})


def word_key(word: str) -> str:
    """The same key for two words that match each other case-insensitively (ASCII words)."""
    return word.lower() if word.isascii() else word.translate(ASCII_LOOKALIKES).lower()


def is_plain_separator(text: str) -> bool:
    """Nothing, or a character that is no word character and has no case ('-', ' ', '’'): only
    that same character matches it, even case-insensitively."""
    return not text or (not WORD.match(text) and text.lower() == text == text.upper())


@cache
def known_index() -> tuple[dict[str, list[tuple[int, str]]], list[re.Pattern]]:
    """Each gazetteer form as a regular expression with its length, filed under the key of its
    first word, so a text only tries the forms whose first word it contains (compiled when first
    tried: a run that converts one seed compiles few of them); forms that do not start with an
    ASCII word then a plain separator are tried everywhere."""
    by_word: dict[str, list[tuple[int, str]]] = {}
    everywhere = []
    for form, as_written in known_forms()[0]:
        escaped = re.escape(form) if as_written else f"(?i:{re.escape(form)})"
        first = FIRST_WORD.match(form)
        if first and first.group(1).isascii() and is_plain_separator(first.group(2)):
            by_word.setdefault(word_key(first.group(1)), []).append((len(form), escaped))
        else:
            everywhere.append(re.compile(rf"(?<!\w){escaped}(?!\w)"))
    return by_word, everywhere


@cache
def known_pattern(key: str) -> re.Pattern:
    """The forms filed under a word's key as one pattern, the longest first: where several
    start, the match is the longest (a form matches as many characters as it has, in any case)."""
    forms = sorted(known_index()[0][key], key=lambda form: -form[0])
    return re.compile(rf"(?<!\w)(?:{'|'.join(escaped for _, escaped in forms)})(?!\w)")


def known_ends(text: str) -> dict[int, int]:
    """Where gazetteer forms start in a text → where the longest one starting there ends.

    A form starts where a word starts, and that word matches the form's first word: only the
    forms filed under the text's words are tried (each key's together), and only where such a
    word is written.
    """
    by_word, everywhere = known_index()
    ends: dict[int, int] = {}
    keyed, keys = filed_keys(text, by_word)
    for key in keys:
        pattern = known_pattern(key)
        start = keyed.find(key)
        while start >= 0:
            match = pattern.match(text, start)
            if match and match.end() > ends.get(start, -1):
                ends[start] = match.end()
            start = keyed.find(key, start + 1)
    for pattern in everywhere:
        position = 0
        while match := pattern.search(text, position):
            if match.end() > ends.get(match.start(), -1):
                ends[match.start()] = match.end()
            position = match.start() + 1
    return ends


def filed_keys(text: str, by_word: dict) -> tuple[str, set[str]]:
    """The text keyed (each character as word_key makes it: one character, a word character
    only if it was one, so every word keeps its place), and the keys in it that forms are
    filed under, picked out by one set operation rather than a key made of each word."""
    lookalikes = not text.isascii() and any(chr(code) in text for code in ASCII_LOOKALIKES)
    keyed = (text.translate(ASCII_LOOKALIKES) if lookalikes else text).lower()
    return keyed, set(WORD.findall(keyed)).intersection(by_word)


def find_known(text: str) -> list[Span]:
    """Gazetteer names in a text, the longest form winning where several start, then the next
    after it. A capitalised alias never matches a lower-case word ('The Diplomat' is not 'the
    diplomat')."""
    _, exact, folded = known_forms()
    ends = known_ends(text)
    spans = []
    position = 0
    for start in sorted(ends):
        if start < position:
            continue
        written = text[start:ends[start]]
        name = exact.get(written) or folded.get(written.casefold())
        if not name or (written[0].islower() and not lower_case_form(written, name)):
            continue  # "the Washington Post" is still "Washington Post"
        spans.append(Span(start, ends[start], name, gazetteer()[name].type, written, True))
        position = ends[start]
    return spans


def lower_case_form(written: str, name: str) -> bool:
    """Whether the gazetteer itself writes this form in lower case ('al-Qaeda', 'bin Laden')."""
    entry = gazetteer()[name]
    return any(form.casefold() == written.casefold() and form[0].islower()
               for form in (entry.name, *entry.aliases))


# ───────────────────────────── discovery ─────────────────────────────

@cache
def word_set(key: str) -> frozenset[str]:
    value = rules()[key]
    words = value.split() if isinstance(value, str) else value
    return frozenset(word.casefold() for word in words)


@cache
def cue_pattern(key: str) -> re.Pattern:
    """Text ending with one of the cues of `key` (then spaces, maybe a comma)."""
    cues = sorted(rules()[key], key=len, reverse=True)
    alternatives = "|".join(cue if "\\" in cue else re.escape(cue) for cue in cues)
    return re.compile(rf"(?i:\b(?:{alternatives}))\s*,?\s*$")


def is_title(word: str) -> bool:
    return word.rstrip(".").casefold() in word_set("title_words")


def is_title_part(word: str) -> bool:
    return is_title(word) or word.rstrip(".").casefold() in word_set("title_modifiers")


CONNECTED_CAPITAL = re.compile(r"[a-z]{1,3}-[A-Z]")
WORD_CHARACTER = re.compile(r"\w")


def is_name_word(word: str) -> bool:
    """'Kabul', 'Dasht-e-Barchi', 'al-Adl' (the capital after a connector counts)."""
    return word[:1].isupper() or CONNECTED_CAPITAL.match(word) is not None


@lru_cache(maxsize=4096)  # each sentence is scanned by several stages; callers only read
def capitalised_runs(sentence: str) -> list[list[re.Match]]:
    """Runs of capitalised words separated only by spaces (connectors such as 'bin' inside); a
    possessive ends a run, a month or weekday breaks it, sentence openers are trimmed off."""
    runs: list[list[re.Match]] = []
    run: list[re.Match] = []
    previous_end = None
    calendar_words, connectors = word_set("calendar_words"), word_set("connectors")
    for match in TOKEN.finditer(sentence):
        if not run and match.group()[0].islower() and not CONNECTED_CAPITAL.match(match.group()):
            previous_end = match.end()  # no name word, and no run for it to join or close
            continue
        word = bare(match)
        joined = previous_end is not None and sentence[previous_end:match.start()].strip() == ""
        if run and not joined:
            runs.append(run)
            run = []
        name_word = is_name_word(word) and word.casefold() not in calendar_words
        connector = bool(run) and word.casefold() in connectors
        if name_word or connector:
            run.append(match)
        elif run:
            runs.append(run)
            run = []
        previous_end = match.end()
        if word != match.group() and run:  # "Iran’s Sistan": the possessive closes the name
            runs.append(run)
            run = []
            previous_end = None
    if run:
        runs.append(run)
    return [trimmed for trimmed in (trim_run(run, opens_sentence(run, sentence)) for run in runs)
            if trimmed]


def opens_sentence(run: list[re.Match], sentence: str) -> bool:
    return not WORD_CHARACTER.search(sentence[:run[0].start()])


def trim_run(run: list[re.Match], at_start: bool = True) -> list[re.Match]:
    """Without connectors at the ends or words that are not names ('The', 'According'); inside a
    sentence a capitalised common word belongs to the name ('in New York')."""
    while run and (not is_name_word(bare(run[0])) or (
            is_common(bare(run[0])) and (at_start or len(run) == 1))):
        run = run[1:]
    while run and (not is_name_word(bare(run[-1])) or (
            is_common(bare(run[-1])) and bare(run[-1]).casefold() not in word_set("organisation_heads"))):
        run = run[:-1]
    return run


def is_common(word: str) -> bool:
    """A capitalised word that is not a name (a sentence opener), unless it is a title."""
    return word in not_names() and not is_title_part(word)


def bare(match: re.Match) -> str:
    # Drops a possessive "’s" or "'s" with a plain string test: this runs for every token.
    word = match.group()
    return word[:-2] if word.endswith(("’s", "'s")) else word


def discover(sentence: str, taken: list[Span]) -> list[Span]:
    """Names in one sentence that the gazetteer does not know, each with the cue that types it."""
    found = places_before_heads(sentence, taken)
    for run in capitalised_runs(sentence):
        run = [word for word in run if not overlaps(word.start(), word.end(), taken + found)]
        for piece in contiguous(run, sentence):
            span = classify(piece, sentence)
            if span:
                found.append(span)
    return sorted(found, key=lambda span: span.start)


def contiguous(run: list[re.Match], sentence: str) -> list[list[re.Match]]:
    """A run split where a known name was cut out of it."""
    pieces: list[list[re.Match]] = []
    for word in run:
        if pieces and sentence[pieces[-1][-1].end():word.start()].strip() == "":
            pieces[-1].append(word)
        else:
            pieces.append([word])
    return pieces


def classify(run: list[re.Match], sentence: str) -> Span | None:
    """A run as a person, organisation or place by its cue; None when nothing says what it is."""
    heads = word_set("organisation_heads")
    if len(run) >= 2 and bare(run[-1]).casefold() in heads and not is_title_part(bare(run[0])):
        return span_of(run, sentence, "organisation")
    titled = False
    while run and (is_title_part(bare(run[0])) or (  # "Chinese Foreign Minister Wang Yi"
            len(run) > 1 and looks_like_demonym(bare(run[0])) and is_title_part(bare(run[1])))):
        titled = titled or is_title(bare(run[0]))
        run = run[1:]
    while len(run) > 1 and is_title_part(bare(run[-1])):
        run = run[:-1]
    run = trim_run(run, opens_sentence(run, sentence)) if run else run
    if not run:
        return None
    before = sentence[:run[0].start()]
    after = sentence[run[-1].start() + len(bare(run[-1])):]
    words = len(run)
    if words >= 2 and bare(run[-1]).casefold() in heads:
        kind = "organisation"
    elif words >= 2 and (titled or cue_pattern("person_titles").search(before)
                         or cue_pattern("appositive_roles").search(before)):
        kind = "person"
    elif cue_pattern("organisation_cues").search(before) or re.match(
            rf"\s*,\s*an?\s+(?:[\w-]+\s+){{0,3}}(?:{rules()['organisation_appositives']})\b", after):
        kind = "organisation"
    elif place_cue().search(before) and not is_demonym(run, after):
        kind = "place"
    elif words >= 2 and not is_demonym(run, after):
        kind = "recurring?"  # typed only if the name comes back (see find_entities)
    else:
        return None
    return span_of(run, sentence, kind)


@cache
def place_cue() -> re.Pattern:
    """Text ending with 'in', 'near', 'from the direction of' … (case as written: 'In' opens a
    sentence, where a capitalised name is not trusted)."""
    cues = "|".join(map(re.escape, rules()["place_cues"]))
    return re.compile(rf"(?<![\w.])(?:{cues})\s+$")


def span_of(run: list[re.Match], sentence: str, kind: str) -> Span:
    start, end = run[0].start(), run[-1].start() + len(bare(run[-1]))
    return Span(start, end, sentence[start:end], kind, sentence[start:end], False)


def is_demonym(run: list[re.Match], after: str) -> bool:
    """'Afghan soil', 'Iranian officials': an adjective of nationality, not a place."""
    following = re.match(r"\s+([a-z]+)", after)
    return (len(run) == 1 and looks_like_demonym(bare(run[-1]))
            and following is not None and following.group(1) not in FUNCTION_WORDS)


def looks_like_demonym(word: str) -> bool:
    return (any(word.endswith(ending) for ending in rules()["demonym_endings"])
            and not any(word.endswith(ending) for ending in rules()["place_endings"]))


FUNCTION_WORDS = frozenset("on in at and or to of for by with from the a an as after before but "
                           "said says was is were are has had have".split())


@cache
def place_head_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A name then a place word ('Sistan and Baluchestan province'), and the place word alone:
    a quick search for the word spares most sentences the slower search for the whole."""
    heads = "|".join(rules()["place_heads"])
    name = r"[A-Z][\w-]+(?: [A-Z][\w-]+)*"
    return (re.compile(rf"(?<![\w’'])({name}(?: and {name})?) (?:{heads})\b"),
            re.compile(rf" (?:{heads})\b"))


def places_before_heads(sentence: str, taken: list[Span]) -> list[Span]:
    """'Sistan and Baluchestan province': a name followed by a lower-case place word."""
    named, head = place_head_patterns()
    if not head.search(sentence):
        return []
    found = []
    for match in named.finditer(sentence):
        start, end = match.span(1)
        words = match.group(1).split()
        if (not overlaps(start, end, taken) and words[0] not in not_names()
                and not (len(words) == 1 and looks_like_demonym(words[0]))):
            found.append(Span(start, end, match.group(1), "place", match.group(1), False))
    return found


def overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(start < span.end and span.start < end for span in spans)


# ───────────────────────────── a whole briefing ─────────────────────────────

def briefing_texts(briefing: Briefing) -> list[str]:
    """What a reader reads as the article: title, photo caption, dateline and body."""
    return [text for text in [briefing.title, briefing.caption, briefing.dateline,
                              *briefing.paragraphs] if text]


def find_spans(text: str) -> list[Span]:
    """Every name in a text: discovered organisation names first claim their whole run, so a
    place inside one ('Balochistan High Court') is not a second entity."""
    prepared = ABBREVIATED_TITLE.sub(lambda m: m.group(1) + " ", text)  # keeps offsets
    known = find_known(text)
    spans: list[Span] = []
    offset = 0
    for sentence in split_sentences(prepared):
        start = prepared.index(sentence, offset)
        offset = start + len(sentence)
        inside = [Span(s.start - start, s.end - start, s.name, s.type, s.text, True)
                  for s in known if start <= s.start < offset]
        outer = whole_run_organisations(sentence, inside)
        inside = [s for s in inside if not any(o.start <= s.start and s.end <= o.end for o in outer)]
        for span in inside + outer + discover(sentence, inside + outer):
            span.start, span.end = span.start + start, span.end + start
            spans.append(span)
    return sorted(spans, key=lambda span: span.start)


def whole_run_organisations(sentence: str, known: list[Span]) -> list[Span]:
    """Runs ending in an organisation's head word that contain a known name but are longer."""
    found = []
    for run in capitalised_runs(sentence):
        if len(run) < 2 or bare(run[-1]).casefold() not in word_set("organisation_heads"):
            continue
        start, end = run[0].start(), run[-1].start() + len(bare(run[-1]))
        inner = [s for s in known if start <= s.start and s.end <= end]
        if inner and not any(s.start == start and s.end == end for s in inner) and not overlaps(
                start, end, [s for s in known if s not in inner]):
            span = classify(run, sentence)
            if span and span.type == "organisation":
                found.append(span)
    return found


def find_entities(briefing: Briefing) -> list[Entity]:
    """The briefing's entities in order of first mention, with their spellings and counts."""
    spans = [span for text in briefing_texts(briefing) for span in find_spans(text)]
    recurring = recurring_names(spans)
    entities: dict[str, Entity] = {}
    for span in spans:
        kind = span.type
        if kind == "recurring?":
            if span.name not in recurring:
                continue
            kind = recurring[span.name]
        key = span.name.casefold()
        entity = entities.setdefault(key, Entity(span.name, kind, [], span.known))
        entity.count += 1
        if span.text not in entity.forms:
            entity.forms.append(span.text)
    merge_surnames(entities, spans)
    return list(entities.values())


def recurring_names(spans: list[Span]) -> dict[str, str]:
    """Uncued runs that come back often enough to be names; they take the type another
    mention's cue gave them, or 'person'."""
    counts: dict[str, int] = {}
    typed: dict[str, str] = {}
    for span in spans:
        if not span.known:
            counts[span.name] = counts.get(span.name, 0) + 1
            if span.type in TYPES:
                typed.setdefault(span.name, span.type)
    return {name: typed.get(name, "person") for name, count in counts.items()
            if count >= rules()["recurring_min_count"]}


def merge_surnames(entities: dict[str, Entity], spans: list[Span]) -> None:
    """'Avery said' after 'General Thomas Avery', 'Ghani told' after 'Ashraf Ghani': the surname
    is the same person, unless another entity of the briefing has that word in its name."""
    other_words = {word for e in entities.values() if e.type != "person" for word in e.name.split()}
    for entity in [e for e in entities.values() if e.type == "person" and " " in e.name]:
        surname = entity.name.split()[-1]
        shared = sum(surname in e.name.split() for e in entities.values() if e.type == "person") > 1
        if surname not in entity.forms and not shared and surname not in other_words:
            entity.forms.append(surname)
        if not entity.known:
            entities.pop(surname.casefold(), None)
