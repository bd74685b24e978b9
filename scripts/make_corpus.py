#!/usr/bin/env python3
"""Write N synthetic dirty seeds into OUTDIR, for the benchmark and for testing at scale."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Run as `python scripts/make_corpus.py` from anywhere: the package lives at the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.corpus import write_corpus  # noqa: E402

EXAMPLE = """\
example:
  python scripts/make_corpus.py 1000 /tmp/corpus-1000 --seed 7

The same N and --seed always give byte-identical files, and the first K files of a
larger corpus are the K files of a smaller one. Files are named NNNNN_<hash>.txt."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="make_corpus.py",
        description="Generate a deterministic corpus of synthetic dirty seed files "
                    "in the styles of the real clippings.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("n", metavar="N", type=non_negative, help="number of seed files to write")
    parser.add_argument("outdir", metavar="OUTDIR", type=Path,
                        help="folder to write into (created if missing; must be empty)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default: 0)")
    parser.add_argument("--force", action="store_true",
                        help="write into a non-empty OUTDIR; files of the same name are "
                             "overwritten, other files are left alone")
    return parser.parse_args(argv)


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"N must be 0 or more, not {value}")
    return value


def refuse_reason(outdir: Path, force: bool) -> str:
    if outdir.exists() and not outdir.is_dir():
        return f"{outdir} exists and is not a folder"
    if not force and outdir.is_dir() and any(outdir.iterdir()):
        return f"{outdir} exists and is not empty; choose another folder or pass --force"
    return ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reason = refuse_reason(args.outdir, args.force)
    if reason:
        print(f"make_corpus.py: error: {reason}", file=sys.stderr)
        return 2
    started = time.perf_counter()

    def report(count: int) -> None:
        print(f"{count:,}/{args.n:,} seeds written", file=sys.stderr, flush=True)

    written = write_corpus(args.n, args.outdir, seed=args.seed, progress=report)
    elapsed = time.perf_counter() - started
    print(f"wrote {written:,} seeds to {args.outdir} in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
