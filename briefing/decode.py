"""Bytes as a scraper saved them → clean text with Unix line endings."""

import codecs
import re
import unicodedata
from functools import cache

import ftfy
from ftfy.badness import BADNESS_RE


class UnreadableSeed(Exception):
    """A seed that holds no article: empty, blank or binary. The message says which."""


# Tried in order; cp1252 before latin-1 because it maps 0x91–0x94 to curly quotes.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")
BINARY_CONTROL_SHARE = 0.05
# Control characters other than tab, newlines, vertical tab, form feed, carriage return:
# deleted by `translate`, which counts them in a few microseconds.
CONTROL_BYTES = bytes(code for code in range(32) if not 9 <= code <= 13)
CONTROL_CHARACTERS = dict.fromkeys(CONTROL_BYTES)


def decode_seed(data: bytes) -> tuple[str, list[str]]:
    """Decode a seed's bytes; return the text and warnings about what had to be repaired."""
    if not data:
        raise UnreadableSeed("empty file")
    utf16 = bomless_utf16(data)
    if utf16:
        data = (codecs.BOM_UTF16_LE if utf16 == "utf-16-le" else codecs.BOM_UTF16_BE) + data
    if looks_binary(data):
        raise UnreadableSeed("binary file (not text)")
    text, warnings = decode_bytes(data)
    if utf16:
        warnings.insert(0, f"no byte order mark: read as {utf16.upper()}")
    repaired, steps = fix_mojibake(text)
    if steps:
        warnings.append("repaired mis-decoded characters (mojibake)")
    text = normalise_newlines(unicodedata.normalize("NFC", repaired))
    if not text.strip():
        raise UnreadableSeed("blank file (only whitespace)")
    return text, warnings


def fix_mojibake(text: str) -> tuple[str, list]:
    """ftfy's repair of mis-decoded text and its steps. ftfy first searches the text for signs
    of mojibake with one large expression (BADNESS_RE), about 0.7 ms for an article; a text
    that cannot match it is left as it is, as ftfy would leave it."""
    if not might_be_mojibake(text):
        return text, []
    return ftfy.fix_encoding_and_explain(text)


def might_be_mojibake(text: str) -> bool:
    """False only if the text cannot match BADNESS_RE: for each of its alternatives, the text
    lacks all the characters of some set the alternative needs one of (mojibake_needs)."""
    needs = mojibake_needs()
    if needs is None:
        return True
    wanted, alternatives = needs
    present = set(wanted.findall(text))
    return any(all(present & chars for chars in needed) for needed in alternatives)


@cache
def mojibake_needs() -> tuple[re.Pattern, list[list[frozenset[str]]]] | None:
    """What a text must hold to match ftfy's BADNESS_RE: for each of its alternatives, the sets
    of non-ASCII characters it needs one of each (see required_characters), and a class of all
    those characters. None if some alternative needs none (another ftfy may have one): then
    ftfy is always asked."""
    try:  # re's own parser: private, so another Python may not have it
        parsed = re._parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
        branch = re._constants.BRANCH
    except (AttributeError, re.error):
        return None
    if BADNESS_RE.flags & re.IGNORECASE or len(parsed) != 1 or parsed[0][0] != branch:
        return None
    alternatives = []
    for alternative in parsed[0][1][1]:
        needed = [frozenset(chars) for op, value in alternative
                  if (chars := required_characters(op, value))]
        if not needed:
            return None
        alternatives.append(needed)
    wanted = sorted(set().union(*(chars for needed in alternatives for chars in needed)))
    return re.compile("[" + "".join(map(re.escape, wanted)) + "]"), alternatives


def required_characters(op, value) -> set[str] | None:
    """The characters one element of a parsed expression matches, if they are all non-ASCII
    and the element must match once (a literal, or a class without negation or categories)."""
    constants = re._constants
    if op is constants.LITERAL:
        return {chr(value)} if value >= 128 else None
    if op is not constants.IN:
        return None
    chars = set()
    for item, argument in value:
        if item is constants.LITERAL:
            chars.add(chr(argument))
        elif item is constants.RANGE:
            chars.update(map(chr, range(argument[0], argument[1] + 1)))
        else:
            return None
    return chars if all(ord(char) >= 128 for char in chars) else None


def bomless_utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for UTF-16 saved without a byte order mark, else None.

    Latin-script UTF-16 has a NUL in every other byte and almost nowhere else.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or len(data) < 8:
        return None
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters mean this is not a text file.

    UTF-16 is half NUL bytes, so a file with a UTF-16 byte order mark is judged by its characters.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        characters = data[:4096].decode("utf-16", errors="replace")
        controls = len(characters) - len(characters.translate(CONTROL_CHARACTERS))
        return controls > BINARY_CONTROL_SHARE * len(characters)
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(sample)


def decode_bytes(data: bytes) -> tuple[str, list[str]]:
    """UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252, else Latin-1."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), replacement_warning(data, encoding)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), replacement_warning(data, "utf-8")
    for encoding in FALLBACK_ENCODINGS:
        try:
            return data.decode(encoding), [f"not UTF-8: read as {encoding}"]
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")


def mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few broken bytes, rather than a single-byte encoding.

    Windows-1252 or Latin-1 text almost never contains a valid multi-byte UTF-8 sequence, while
    a UTF-8 file damaged in transit is mostly such sequences with a few stray bytes.
    """
    text = data.decode("utf-8", errors="replace")
    valid_multibyte = sum(1 for char in text if "\u0080" <= char and char != "\ufffd")
    return valid_multibyte > 0 and text.count("\ufffd") <= valid_multibyte


def replacement_warning(data: bytes, encoding: str) -> list[str]:
    """A warning when some bytes did not decode and became U+FFFD."""
    bad = data.decode(encoding, errors="replace").count("\ufffd") - data.decode(
        encoding, errors="ignore").count("\ufffd")
    return [f"{bad} undecodable byte sequence(s) shown as \ufffd"] if bad else []


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; no-break spaces and tabs become plain spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u00a0", " ").replace("\t", "    ")
