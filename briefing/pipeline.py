"""One seed → one Briefing: the stages in order.

Each stage takes pieces of the seed out of the running and says where they went: the body,
a metadata field, or the "removed from the source" list with a reason. A piece of text is never
dropped without a record (see `Briefing.removed`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import boilerplate, genre, sources
from .dates import RELATIVE_DATE, find_published_date, is_relative_date
from .decode import decode_seed
from .duplicates import fingerprint
from .genre import detect_genre, set_genre
from .headline import headline_from_lede
from .entities import find_entities
from .events import find_events
from .keywords import entity_tags
from .model import Briefing, Line
from .segment import split_lines
from .text import split_sentences, word_count

PROSE_MIN_WORDS = 25  # a line this long is article text, whatever it ends with
SENTENCE_MIN_WORDS = 6  # … or this long when it ends like a sentence
TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 25
TITLE_SEARCH_LINES = 3
SUMMARY_MAX_WORDS = 60
LARGE_SEED_BYTES = 1_000_000  # news articles are 2–50 KB; a seed this big is likely a whole page dump
PROSE_END = re.compile(r"[.!?…۔؟][\"”’')]*$")  # ۔ and ؟ end sentences in Urdu and Arabic


@dataclass
class Piece:
    """A logical line still waiting for a place; `kind` is set once a stage claims it."""

    text: str
    number: int
    kind: str = ""


def convert_seed(seed_name: str, data: bytes, keep: Sequence[str] = ()) -> Briefing:
    """Everything about one seed. Raises decode.UnreadableSeed for a seed with no text.

    `keep`: lines an editor wants in the body whatever the stages think of them.
    """
    text, warnings = decode_seed(data)
    if len(data) > LARGE_SEED_BYTES:
        warnings.append(f"very large seed ({len(data) / 1e6:.1f} MB): converted whole, check that "
                        "it holds one article")
    briefing = Briefing(seed_name=seed_name, seed_text=text, warnings=list(warnings))
    pieces = [Piece(line.text, line.number) for line in split_lines(text)]
    keep_lines(briefing, pieces, keep)
    take_published_date(briefing, pieces)
    take_glued_scraps(briefing, pieces)
    take_boilerplate_lines(briefing, pieces)
    take_captions_and_credits(briefing, pieces)
    take_title_line(briefing, pieces)
    mark_prose(pieces)
    take_header(briefing, pieces)
    take_trailer(briefing, pieces)
    take_promo_labels(briefing, pieces)
    take_body(briefing, pieces)
    finish(briefing)
    briefing.fingerprint = fingerprint(briefing.paragraphs, briefing.seed_text)
    return briefing


def waiting(pieces: list[Piece]) -> list[Piece]:
    return [piece for piece in pieces if not piece.kind]


def claim(briefing: Briefing, piece: Piece, reason: str) -> None:
    """Take a whole piece out of the body, recording why."""
    piece.kind = reason
    briefing.remove(reason, piece.text, piece.number)


def keep_lines(briefing: Briefing, pieces: list[Piece], keep: Sequence[str]) -> None:
    """Lines the overrides file keeps go to the body as they are (matched whitespace-insensitively,
    with or without the scraps glued to their end)."""
    for wanted in keep:
        matches = [piece for piece in pieces
                   if wanted in (piece.text, boilerplate.split_glued(piece.text)[0])]
        for piece in matches:
            piece.kind = "prose"
        if matches:
            briefing.edited.append("kept line")
        else:
            briefing.warnings.append(f"overrides: line to keep is not a line of this seed: {wanted!r}")


def take_published_date(briefing: Briefing, pieces: list[Piece]) -> None:
    candidates = waiting(pieces)
    found = find_published_date([Line(piece.text, 0, piece.number) for piece in candidates])
    if not found:
        return
    piece = candidates[found.line_index]
    briefing.date = found.date
    if found.warning:
        briefing.warnings.append(found.warning)
    briefing.remove("publication date" if found.date else "unreadable date", found.statement,
                    piece.number)
    if found.rest:
        piece.text = found.rest
    else:
        piece.kind = "date"


def take_glued_scraps(briefing: Briefing, pieces: list[Piece]) -> None:
    """Cut scraps glued to a line's end; a line that is debris with debris glued on goes whole."""
    for piece in waiting(pieces):
        rest, scraps = boilerplate.split_glued(piece.text)
        if not scraps:
            continue
        reason = boilerplate.boilerplate_reason(rest) if rest else scraps[0][0]
        if reason:
            claim(briefing, piece, reason)
            continue
        piece.text = rest
        for reason, scrap in scraps:
            briefing.remove(reason, scrap, piece.number)


def take_boilerplate_lines(briefing: Briefing, pieces: list[Piece]) -> None:
    for piece in waiting(pieces):
        reason = boilerplate.boilerplate_reason(piece.text)
        if reason:
            claim(briefing, piece, reason)
        if reason == "agency sign-off":  # "Reporting by Asif Shahzad; Editing by …" names the author
            briefing.author = briefing.author or sources.find_byline(piece.text) or ""


def take_captions_and_credits(briefing: Briefing, pieces: list[Piece]) -> None:
    """Photo captions and credits, and lines naming the source ('Source: Dawn')."""
    for piece in waiting(pieces):
        source = sources.find_source_line(piece.text)
        if source:
            briefing.source = briefing.source or source
            claim(briefing, piece, "source line")
        elif sources.is_credit(piece.text):
            briefing.credit = briefing.credit or sources.credit_text(piece.text)
            claim(briefing, piece, "photo credit")
        elif sources.is_caption(piece.text):
            caption, credit = sources.split_caption(piece.text)
            if not briefing.caption:
                briefing.caption, briefing.credit = caption, briefing.credit or credit
            claim(briefing, piece, "photo caption")


def take_title_line(briefing: Briefing, pieces: list[Piece]) -> None:
    """A 'Title – Publisher' line near the top gives the title and the source."""
    for piece in waiting(pieces)[:TITLE_SEARCH_LINES]:
        split = sources.split_title_line(piece.text)
        if split and word_count(split[0]) <= TITLE_MAX_WORDS and not PROSE_END.search(split[0]):
            briefing.title, briefing.source = split
            briefing.title_from = "title line"
            claim(briefing, piece, "title line")
            return


def is_prose(text: str) -> bool:
    words = word_count(text)
    return words >= PROSE_MIN_WORDS or (words >= SENTENCE_MIN_WORDS and bool(PROSE_END.search(text)))


def mark_prose(pieces: list[Piece]) -> None:
    for piece in waiting(pieces):
        if is_prose(piece.text):
            piece.kind = "prose"


def take_header(briefing: Briefing, pieces: list[Piece]) -> None:
    """Lines above the first paragraph: a plain title line, a byline, section labels."""
    for piece in pieces:
        if piece.kind == "prose":
            return
        if piece.kind:
            continue
        author = sources.find_byline(piece.text)
        if author:
            briefing.author = briefing.author or author
            claim(briefing, piece, "byline")
        elif find_published_date([Line(piece.text, 0, piece.number)]):
            claim(briefing, piece, "other date line")
        elif is_relative_date(piece.text):
            briefing.warnings.append(f"{RELATIVE_DATE} {piece.text!r} cannot be dated without the "
                                     "day the page was saved: set it in overrides.toml")
            claim(briefing, piece, RELATIVE_DATE)
        elif not briefing.title and is_title_like(piece.text):
            briefing.title, briefing.title_from = piece.text, "title line"
            claim(briefing, piece, "title line")
        else:
            claim(briefing, piece, "section label")


def is_title_like(text: str) -> bool:
    letters_words = [word for word in text.split() if re.search(r"[^\W\d_]", word)]
    return (TITLE_MIN_WORDS <= len(letters_words) <= TITLE_MAX_WORDS
            and not PROSE_END.search(text.rstrip("?!")) )


def take_trailer(briefing: Briefing, pieces: list[Piece]) -> None:
    """Lines after the last paragraph: a tag line, related headlines."""
    for piece in trailer(pieces):
        tags = boilerplate.parse_tag_line(piece.text)
        if tags and not briefing.tags:
            briefing.tags = tags
            claim(briefing, piece, "tag line")
        elif boilerplate.looks_like_headline(piece.text):
            claim(briefing, piece, "related headline")


def trailer(pieces: list[Piece]) -> list[Piece]:
    """The unclaimed lines after the last paragraph.

    A list of related headlines may end with a question ('Explainer: Who are the Pakistani
    Taliban?') that reads like a sentence: short questions at the very end belong to the list
    when at least two other headline-like lines precede them.
    """
    run: list[Piece] = []
    questions: list[Piece] = []
    for piece in reversed(pieces):
        if piece.kind == "prose" and not run and boilerplate.is_headline_question(piece.text):
            questions.append(piece)
        elif piece.kind == "prose":
            break
        elif not piece.kind:
            run.append(piece)
    if sum(1 for piece in run if boilerplate.looks_like_headline(piece.text)) >= 2:
        run += questions
    return sorted(run, key=lambda piece: piece.number)


def take_promo_labels(briefing: Briefing, pieces: list[Piece]) -> None:
    """A short line just before boilerplate is that block's label ('diplomatic letter')."""
    for piece, following in zip(pieces, pieces[1:]):
        if (not piece.kind and following.kind and following.kind != "prose"
                and word_count(piece.text) <= 4 and not PROSE_END.search(piece.text)):
            claim(briefing, piece, f"{following.kind} label")


def take_body(briefing: Briefing, pieces: list[Piece]) -> None:
    first_body_line = 0
    for piece in pieces:
        if piece.kind in ("", "prose"):
            piece.kind = "body"
            first_body_line = first_body_line or piece.number
            briefing.paragraphs.append(piece.text)
    if briefing.paragraphs:
        split = sources.split_dateline(briefing.paragraphs[0])
        if split:
            place, agency, rest = split
            briefing.dateline = place
            briefing.source = briefing.source or agency
            briefing.remove("dateline", briefing.paragraphs[0][: len(briefing.paragraphs[0]) - len(rest)],
                            first_body_line)
            briefing.paragraphs[0] = rest


def finish(briefing: Briefing) -> None:
    """Derived fields: title from the lede, summary, entities, events, tags from the text."""
    briefing.removed.sort(key=lambda item: item.line)  # stable: scraps keep their order
    if not briefing.title and briefing.paragraphs:
        briefing.title, briefing.title_from = headline_from_lede(briefing.paragraphs[0]), "lede"
    if not briefing.title:
        briefing.title, briefing.title_from = briefing.seed_name, "seed name"
        briefing.warnings.append("no title line and no paragraph to make a headline from")
    if not briefing.paragraphs:
        briefing.warnings.append("no article text found: everything looked like boilerplate")
    briefing.summary = make_summary(briefing.paragraphs)
    briefing.entities = find_entities(briefing)
    briefing.events = find_events(briefing)
    if not briefing.tags:
        briefing.tags = entity_tags(briefing.entities)
    set_genre(briefing, detect_genre(briefing.paragraphs, genre_labels(briefing)))


def genre_labels(briefing: Briefing) -> list[str]:
    """Labels that may name the genre: section lines, parts of the title line, a title prefix
    ('Opinion: …', which the title then loses)."""
    labels = [item.text for item in briefing.removed if item.reason == "section label"]
    for item in briefing.removed:
        if item.reason == "title line":
            labels += genre.title_line_labels(item.text)
    label, rest = genre.split_label(briefing.title)
    if label and briefing.title_from == "title line":
        briefing.title = rest
        labels.append(label)
    return labels


def make_summary(paragraphs: list[str]) -> str:
    """The lede's first sentences, whole, up to about SUMMARY_MAX_WORDS words."""
    if not paragraphs:
        return ""
    kept: list[str] = []
    for sentence in split_sentences(paragraphs[0]):
        if kept and word_count(" ".join(kept + [sentence])) > SUMMARY_MAX_WORDS:
            break
        kept.append(sentence)
    return " ".join(kept)
