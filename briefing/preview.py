"""`make devserver`'s side of the preview: the last build's keeper (plugins/preview) writes what
an edit to a briefing's text changes, without a build.

Before each build the devserver makes two pipes and names the keeper's ends in the build's
environment (PIPES_VARIABLE: "request,reply", two file descriptors). A build that ends well
forks a keeper, which says it is ready on the reply pipe (a line of JSON: its process id), then
answers each request (the served folder) with the files it wrote, or why it wrote none, or
(asked {"as_read": true}) whether the files it read are still as it read them. It
ends when the devserver closes its end of the request pipe: after an answer that leaves work
to a build, or when the devserver ends, however that ends, so a keeper never outlives it.
"""

from __future__ import annotations

import json
import os
import select
from pathlib import Path

PIPES_VARIABLE = "BRIEFING_PREVIEW_PIPES"


def encoded(message: dict) -> bytes:
    return json.dumps(message).encode("utf-8") + b"\n"


def decoded(line: bytes) -> dict | None:
    try:
        message = json.loads(line)
    except ValueError:
        return None
    return message if isinstance(message, dict) else None


def read_line(descriptor: int, timeout: float | None) -> bytes:
    """One line from a pipe (b"" at its end, or when nothing came within `timeout` seconds)."""
    data = b""
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([descriptor], [], [], timeout)
        if not ready:
            return b""
        chunk = os.read(descriptor, 65536)
        if not chunk:
            return b""
        data += chunk
    return data


class Keeper:
    """The devserver's handle on one build's keeper."""

    def __init__(self):
        self.request_read, self.request_write = os.pipe()
        self.reply_read, self.reply_write = os.pipe()
        self.pid: int | None = None  # the keeper's, once it said it is ready

    def environment(self) -> dict[str, str]:
        """What the build is told: the keeper's ends of the pipes."""
        return {PIPES_VARIABLE: f"{self.request_read},{self.reply_write}"}

    def in_build(self) -> None:
        """In the build's process: only the keeper's ends stay open there."""
        os.close(self.request_write)
        os.close(self.reply_read)

    def build_started(self) -> None:
        """In the devserver, once the build's process is forked: the keeper's ends are the
        build's now, so the reply pipe ends when the build ends without a keeper."""
        os.close(self.request_read)
        os.close(self.reply_write)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """After a build that ended well: whether it left a keeper."""
        message = decoded(read_line(self.reply_read, timeout)) or {}
        self.pid = message.get("ready")
        return self.pid is not None

    def preview(self, output_dir: Path, timeout: float = 60.0) -> dict:
        """Ask the keeper to preview what the converter changed, and wait for its answer."""
        reason = self.ask(output_dir)
        return {"reason": reason} if reason else self.answer(timeout)

    def ask(self, output_dir: Path) -> str | None:
        """Ask the keeper to preview what the converter changed, in the site in `output_dir`
        (the answer is read with `answer`); why it cannot be asked, or None."""
        try:
            os.write(self.request_write, encoded({"output": str(output_dir)}))
        except OSError as error:
            return f"the last build's keeper is gone ({error.strerror})"
        return None

    def answer(self, timeout: float = 60.0) -> dict:
        """The keeper's answer: {"written": [files], "before": {file: its state before, size
        and modification time first, or None}, "complete": whether the site is as a build
        would make it (else "rest": why not)} or {"reason": why not}; "seconds", "cpu" and
        "megabytes" (its largest size) the keeper took."""
        reply = decoded(read_line(self.reply_read, timeout))
        return reply if reply is not None else {"reason": "the last build's keeper did not answer"}

    def as_read(self, timeout: float = 60.0) -> bool:
        """Whether the files the keeper's site is made from are all still as it read them
        (False if it cannot say)."""
        try:
            os.write(self.request_write, encoded({"as_read": True}))
        except OSError:
            return False
        return (decoded(read_line(self.reply_read, timeout)) or {}).get("as_read") is True

    def close(self) -> None:
        """Dismiss the keeper (it ends when it reads the end of its request pipe). Once only:
        the descriptors' numbers may be another pipe's afterwards."""
        for descriptor in (self.request_write, self.reply_read):
            try:
                os.close(descriptor)
            except OSError:
                pass
        self.request_write = self.reply_read = -1
