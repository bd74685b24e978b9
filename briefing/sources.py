"""Who published a seed and what surrounds its text: title line, captions, credits, datelines."""

import re
from functools import cache

from .rules import compile_all, load

DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,2}|[A-Z][a-z.'-]+(?:\s+[A-Z][a-z.'-]+){0,2})"
    # Agency styles: "ISLAMABAD, Jan 5 (Reuters) -", "KABUL, Afghanistan (AP) —"
    r"(?:,\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?=\s*\())?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&-]{1,30})\))?\s*(?P<sep>[:–—-])\s+(?=[A-Z\"“‘'(])"
)
NOT_DATELINES = {"Note", "Update", "Updated", "Editor", "Warning", "Credit", "Photo", "Source",
                 "Read", "Related", "Watch", "Listen", "Video", "Image", "Published", "Posted",
                 "Caption", "Opinion", "Analysis", "Editorial", "Comment", "Title", "Status",
                 "Date", "Summary", "Tags", "Slug", "Category", "Author", "Template", "Save_as"}
BYLINE = re.compile(r"^(?:By|BY|Written by|Reporting by)\s+(?P<author>[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|al|bin|ul)){0,4})"
                    r"(?:\s*(?:[,;|–—-]|and)\s*.*)?$")
BYLINE_MAX_WORDS = 12


@cache
def source_rules() -> dict:
    rules = load("sources")
    agencies = "|".join(re.escape(name) for name in sorted(rules["agencies"], key=len, reverse=True))
    return {
        "caption_starts": compile_all([f"^(?:{p})" for p in rules["caption_starts"]]),
        "credit_starts": compile_all([f"^(?:{p})" for p in rules["credit_starts"]], re.IGNORECASE),
        "agency_end": re.compile(
            rf"(?:(?P<stop>\.)\s*\(?|[|/–—-]\s*\(?|\s\()(?P<agency>{agencies})\)?\W*$"),
        "separators": compile_all(rules["title_separators"]),
        "section_separator": re.compile(rules["section_separator"]),
        "publishers": {name.casefold() for name in rules["publishers"]},
        "source_line": re.compile(rules["source_line"], re.IGNORECASE),
        "credit_prefix": re.compile(rules["credit_prefix"], re.IGNORECASE),
        "caption_max_words": rules["caption_max_words"],
        "publisher_max_words": rules["publisher_max_words"],
    }


def is_caption(text: str) -> bool:
    """A photo caption: 'FILE – troops patrol …' or a short line ending in an agency's name."""
    rules = source_rules()
    if len(text.split()) > rules["caption_max_words"]:
        return False
    if any(pattern.search(text) for pattern in rules["caption_starts"]):
        return True
    return bool(rules["agency_end"].search(text)) and not text.rstrip().endswith(("?", "”", '"'))


def split_caption(text: str) -> tuple[str, str]:
    """A caption and the agency it ends with, as (caption, credit); credit '' when none.

    >>> split_caption("Taliban fighters stand guard in Kabul. (Reuters)")
    ('Taliban fighters stand guard in Kabul.', 'Reuters')
    """
    match = source_rules()["agency_end"].search(text)
    if not match:
        return text, ""
    return text[: match.start()].rstrip() + (match.group("stop") or ""), match.group("agency")


def is_credit(text: str) -> bool:
    """A photo credit line: 'Credit: AP Photo/Anjum Naveed, File'."""
    return len(text.split()) <= 20 and any(p.search(text) for p in source_rules()["credit_starts"])


def credit_text(line: str) -> str:
    """'Credit: AP Photo/Anjum Naveed, File' → 'AP Photo/Anjum Naveed, File'."""
    return source_rules()["credit_prefix"].sub("", line, count=1)


def split_title_line(text: str) -> tuple[str, str] | None:
    """'Title – Publisher' → (title, publisher), or None when there is no publisher suffix.

    Between title and publisher a site may put its section ('… | Conflict News | Al Jazeera'):
    the title is then what comes before the first bar.
    """
    rules = source_rules()
    for index, separator in enumerate(rules["separators"]):
        matches = list(separator.finditer(text))
        if not matches:
            continue
        title, publisher = text[: matches[-1].start()].strip(), text[matches[-1].end():].strip()
        known = publisher.casefold() in rules["publishers"]
        plain_hyphen = index == len(rules["separators"]) - 1
        if title and (known or (not plain_hyphen and looks_like_publisher(publisher))):
            return rules["section_separator"].split(title)[0].strip(), publisher
    return None


def looks_like_publisher(text: str) -> bool:
    """A short capitalised name without sentence punctuation."""
    words = text.split()
    return (0 < len(words) <= source_rules()["publisher_max_words"]
            and not re.search(r"[.!?,;:]$", text)
            and all(word[:1].isupper() or word[:1].isdigit() or word in {"of", "the", "and", "&"}
                    for word in words))


def split_dateline(text: str) -> tuple[str, str, str] | None:
    """'PESHAWAR: Militants …' → ('PESHAWAR', '', 'Militants …'); None when there is no dateline."""
    match = DATELINE.match(text)
    if not match or match.group("place").split()[0].strip(".'") in NOT_DATELINES:
        return None
    if match.group("sep") == "-" and not match.group("place").isupper():
        return None  # "Imran Khan - Closely aligned …" is a caption, not a dateline
    return match.group("place"), match.group("agency") or "", text[match.end():]


def find_byline(text: str) -> str | None:
    """'By Jane Doe, Staff Reporter' → 'Jane Doe'."""
    if len(text.split()) > BYLINE_MAX_WORDS:
        return None
    match = BYLINE.match(text)
    return match.group("author") if match else None


def find_source_line(text: str) -> str | None:
    """'Source: Dawn' → 'Dawn'."""
    match = source_rules()["source_line"].match(text.strip())
    return match.group("source").strip() if match else None
