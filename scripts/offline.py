#!/usr/bin/env python3
"""Zip a built site so it works unzipped anywhere, opened from file:// (`make offline`).

Example: python scripts/offline.py output briefings-offline.zip
The zip holds one folder, `briefings/`, with the site inside: unzip it and open
`briefings/index.html`. The same site always gives the same bytes (sorted names, fixed times).
"""

import argparse
import sys
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record


def write_zip(site: Path, target: Path, folder: str = "briefings") -> int:
    """Write every file under `site` into `target` below `folder/`; return the file count."""
    files = sorted(path for path in site.rglob("*") if path.is_file())
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return len(files)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="Example: python scripts/offline.py output site.zip")
    parser.add_argument("site", type=Path, help="the built site (OUTPUTDIR)")
    parser.add_argument("zip", type=Path, help="the zip file to write")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"offline: {args.site} has no index.html; build the site first (make html)",
              file=sys.stderr)
        return 1
    count = write_zip(args.site, args.zip)
    size = args.zip.stat().st_size
    print(f"Offline bundle: {args.zip} ({count} files, {size / 1024:.0f} KB); "
          "unzip it anywhere and open briefings/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
