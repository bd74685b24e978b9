"""The quoted sentences of the entity pages, kept in a temporary file until a page shows them.

Every entity page quotes the sentence around the entity's first mention in each briefing that
names it: some 130,000 sentences, 45 MB of strings, at 10,000 briefings, held by the build and
by every forked rendering process. They are written to one file as the mentions are made and
read back (`os.pread`, safe in forked processes) when a page asks for them.
"""

import os
import tempfile

FLUSH_AT = 1 << 20  # bytes gathered before they are written
MASK = 0xFFFFFFFF  # one length in a quote's place


class QuoteFile:
    def __init__(self):
        self.file = None
        self.size = 0  # bytes written and pending
        self.pending: list[bytes] = []
        self.pending_size = 0
        self.last: tuple[int, tuple[str, str, str]] | None = None  # a page reads a quote's parts in turn

    def add(self, before: str, text: str, after: str) -> int:
        """Keep a quote; its place, one int (one object a mention holds, not two: 176,000
        mentions at 10,000 briefings): the offset, then the lengths of its first two parts in
        characters and of the whole in bytes."""
        data = (before + text + after).encode("utf-8", "surrogatepass")
        offset = self.size
        self.pending.append(data)
        self.size += len(data)
        self.pending_size += len(data)
        if self.pending_size >= FLUSH_AT:
            self.flush()
        return offset << 96 | len(before) << 64 | len(text) << 32 | len(data)

    def read(self, place: int) -> tuple[str, str, str]:
        if self.last is not None and self.last[0] == place:
            return self.last[1]
        self.flush()
        offset, before, text, size = place >> 96, place >> 64 & MASK, place >> 32 & MASK, place & MASK
        whole = os.pread(self.file.fileno(), size, offset).decode("utf-8", "surrogatepass") if size else ""
        quote = (whole[:before], whole[before:before + text], whole[before + text:])
        self.last = (place, quote)
        return quote

    def flush(self) -> None:
        if not self.pending:
            return
        if self.file is None:
            self.file = tempfile.TemporaryFile(prefix="briefing-quotes-")
        # At its offset, not the file's position: a fork (plugins/preview's keeper) shares that.
        os.pwrite(self.file.fileno(), b"".join(self.pending), self.size - self.pending_size)
        self.pending.clear()
        self.pending_size = 0

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        self.__init__()
