"""Decoding: encodings, BOMs, line endings, mojibake, and seeds that are not text."""

import pytest

from briefing.decode import UnreadableSeed, decode_seed


@pytest.mark.parametrize("data, text", [
    ("Pakistan’s army".encode("utf-8"), "Pakistan’s army"),
    (b"\xef\xbb\xbfPakistan\xe2\x80\x99s army", "Pakistan’s army"),
    (b"\x93We can\x94, he said", "“We can”, he said"),  # Windows-1252 curly quotes
    ("Peshawar caf\u00e9".encode("latin-1"), "Peshawar café"),
    ("Pakistanâ€™s army".encode("utf-8"), "Pakistan’s army"),  # mojibake repaired
    (b"one\r\ntwo\rthree\n", "one\ntwo\nthree\n"),
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
