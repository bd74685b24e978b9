#!/usr/bin/env python3
"""Convert a folder of raw news clippings (seeds) into Markdown briefings for Pelican.

Example:
    python scripts/convert.py seeds content
    python scripts/convert.py ~/clippings /tmp/content --strict

Prints one line per seed (date, title, source, lines removed, warnings; DUP for a seed that
repeats an earlier one, SKIP for one that cannot be read) and a summary. Corrections go in
SEEDDIR/overrides.toml (see README, "Editorial overrides").
Exit status: 0 on success; 1 when a seed was skipped or warned and --strict is given, when a
generated file was edited by hand (see --keep-edits), or when overrides.toml cannot be used;
2 on bad arguments.
"""

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.lock import content_lock  # noqa: E402
from briefing.seed_cache import converter_fingerprint  # noqa: E402
from briefing.seed_files import SKIPPED, seed_files  # noqa: E402
from briefing.up_to_date import ConvertStamp  # noqa: E402


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python scripts/convert.py seeds content",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("seed_dir", metavar="SEEDDIR", type=Path, help="folder of seed .txt files")
    parser.add_argument("content_dir", metavar="CONTENTDIR", type=Path,
                        help="Pelican content folder; briefings go to CONTENTDIR/briefings/")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 if any seed was skipped or gave a warning")
    edits = parser.add_mutually_exclusive_group()
    edits.add_argument("--keep-edits", action="store_true",
                       help="leave generated files that were edited by hand as they are")
    edits.add_argument("--overwrite-edits", action="store_true",
                       help="replace generated files even if they were edited by hand")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="print only the seeds that cannot be read and the summary")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.ERROR)
    if not args.seed_dir.is_dir():
        print(f"error: seed folder {args.seed_dir} does not exist or is not a folder", file=sys.stderr)
        return 2
    with content_lock(args.content_dir, "convert"):
        return convert(args)


def convert(args: argparse.Namespace) -> int:
    seeds = seed_files(args.seed_dir)
    stamp = ConvertStamp(args.seed_dir, args.content_dir, seeds, converter_fingerprint())
    recorded = stamp.recorded_report()
    if recorded:
        lines, warnings = recorded["lines"], recorded["warnings"]
        lines[-1] = lines[-1].rsplit(";", 1)[0] + "; nothing changed since the last run: nothing converted"
    else:
        # the converter loads the date parser and more: only when there is work to do
        from briefing.convert import EditedByHand, convert_folder, format_report  # noqa: PLC0415
        from briefing.overrides import BadOverrides  # noqa: PLC0415

        try:
            report = convert_folder(args.seed_dir, args.content_dir, args.keep_edits,
                                    args.overwrite_edits, seeds)
        except (EditedByHand, BadOverrides) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        lines, warnings = format_report(report), report.warning_count
        stamp.record(lines, warnings, report.files_as_read)
        if not report.briefings and not report.skipped:
            print(f"warning: no seed files (*.txt) in {args.seed_dir}", file=sys.stderr)
    if args.quiet:  # a seed skipped is always named
        lines = [line for line in lines[:-1] if line.startswith(SKIPPED)] + lines[-1:]
    print("\n".join(lines))
    return 1 if args.strict and warnings else 0


if __name__ == "__main__":
    sys.exit(main())
