"""Decoding: encodings, BOMs, line endings, mojibake, and seeds that are not text."""

import codecs
import string

import ftfy
from ftfy.badness import BADNESS_RE, is_bad
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.decode import (UnreadableSeed, decode_seed, fix_mojibake, might_be_mojibake,
                             mojibake_needs)


@pytest.mark.parametrize("data, text", [
    ("Pakistan’s army".encode("utf-8"), "Pakistan’s army"),
    (b"\xef\xbb\xbfPakistan\xe2\x80\x99s army", "Pakistan’s army"),
    (b"\x93We can\x94, he said", "“We can”, he said"),  # Windows-1252 curly quotes
    ("Peshawar caf\u00e9".encode("latin-1"), "Peshawar café"),
    ("Pakistanâ€™s army".encode("utf-8"), "Pakistan’s army"),  # mojibake repaired
    (b"one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
    ("Pakistan’s army\r\n".encode("utf-16"), "Pakistan’s army\n"),  # UTF-16 with BOM
    (codecs.BOM_UTF16_BE + "Pakistan’s army".encode("utf-16-be"), "Pakistan’s army"),
])
def test_decoding(data, text):
    assert decode_seed(data)[0] == text


def test_repairs_are_reported():
    assert decode_seed(b"\x93We can\x94")[1] == ["not UTF-8: read as cp1252"]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b"  \n\t\r\n ", "blank"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_unreadable_seeds_say_why(data, reason):
    with pytest.raises(UnreadableSeed, match=reason):
        decode_seed(data)


@pytest.mark.parametrize("data, binary", [
    (b"Kabul " * 15 + b"\x1b\x07\x7f" * 3 + b"\x1b" * 4, True),  # 10 control bytes in 103 (DEL is none)
    (b"Kabul " * 15 + b"\x1b\x07\x01\x02", False),  # 4 in 94: under the 5% a text may hold
    (b"Kabul\t\x0b\x0c\r\n" * 20, False),  # tab, vertical tab, form feed and line ends are text
    (codecs.BOM_UTF16_LE + ("Kabul\x1b" * 20).encode("utf-16-le"), True),  # counted as characters
    (codecs.BOM_UTF16_BE + ("Kabul\x0c\n" * 20).encode("utf-16-be"), False),
])
def test_control_characters_make_a_seed_binary(data, binary):
    if binary:
        with pytest.raises(UnreadableSeed, match="binary"):
            decode_seed(data)
    else:
        assert "Kabul" in decode_seed(data)[0]


def test_utf8_with_a_few_broken_bytes_stays_utf8_and_says_so():
    text, warnings = decode_seed("“We are investigating,” he said at the camp".encode("utf-8") + b"\x81 today.")
    assert text == "“We are investigating,” he said at the camp\ufffd today."
    assert warnings == ["1 undecodable byte sequence(s) shown as \ufffd"]


def test_utf16_without_byte_order_mark_is_read_and_noted():
    text, warnings = decode_seed("Taliban retake Spin Boldak\r\n".encode("utf-16-le"))
    assert text == "Taliban retake Spin Boldak\n"
    assert warnings == ["no byte order mark: read as UTF-16-LE"]


# ── the quick look before ftfy's mojibake search (decode.fix_mojibake) ──

MOJIBAKE_ALPHABET = "aeAZ .,?!-1 ’“”–—…éüñçÃÂâ€œ™\x9d\xa0©°²×ØÙ√≈‚вЂβāΒΓВГРСŒœ│█"


def test_the_quick_look_is_in_force_with_the_pinned_ftfy():
    """If ftfy's expression changed shape, the look would be skipped (always correct, slower):
    this says so."""
    assert mojibake_needs() is not None


def test_text_without_what_mojibake_needs_is_not_searched(monkeypatch):
    def searched(text):
        raise AssertionError("ftfy was asked")
    monkeypatch.setattr(ftfy, "fix_encoding_and_explain", searched)
    assert fix_mojibake("“We can”, the spokesman’s aide said — in Kabul…")[0].startswith("“We can”")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=MOJIBAKE_ALPHABET, max_size=12))
def test_the_quick_look_passes_everything_ftfy_finds_bad(text):
    if is_bad(text):
        assert might_be_mojibake(text)
    assert fix_mojibake(text) == tuple(ftfy.fix_encoding_and_explain(text))


def test_the_quick_look_passes_every_pair_ftfy_finds_bad():
    """Every two-character text made of the characters ftfy's expression names."""
    characters = sorted(set(BADNESS_RE.pattern) - set(string.printable)) + list("aA. ")
    bad = [a + b for a in characters for b in characters if is_bad(a + b)]
    assert len(bad) > 1000
    assert all(might_be_mojibake(text) for text in bad)


@pytest.mark.parametrize("text", ["Pakistanâ€™s army", "caf\u00c3\u00a9 â€œquotedâ€\x9d",
                                  "×²", "Ã ", "вЂ™", "x\x85y"])
def test_mojibake_is_still_looked_at(text):
    assert is_bad(text) and might_be_mojibake(text)
    assert fix_mojibake(text) == tuple(ftfy.fix_encoding_and_explain(text))
