"""Which of this package's modules a piece of code runs: what a fingerprint must cover.

The converter's cache key covers the modules `convert.py` imports (seed_cache.converter_files),
and the build's environment the modules the plugins import (up_to_date.environment_fingerprint),
each directly or through another, at the top of a module or inside a function. Imports are
found with patterns, not `ast`: parsing every module took 0.1 s of each converter run.
"""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
RELATIVE_IMPORT = re.compile(r"^[ \t]*from[ \t]+\.(\w*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)", re.M)
# from outside the package: `from briefing.x import …`, `from briefing import x, y`, `import briefing.x`
PACKAGE_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+briefing(?:\.(\w+))?[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)"
                            r"|import[ \t]+briefing\.(\w+))", re.M)


def imported_names(module_name: str, names: str) -> list[str]:
    """The modules an import names: `x` in `from .x import y`; a and b in `from . import a, b as c`."""
    if module_name:
        return [module_name]
    names = re.sub(r"#[^\n]*", "", names).strip("()")
    return [name.split()[0] for name in names.split(",") if name.strip()]


def existing(folder: Path, names: list[str]) -> list[Path]:
    return [folder / f"{name}.py" for name in names if (folder / f"{name}.py").is_file()]


def source(path: Path) -> str:
    """A module's text ('' if it cannot be read: it cannot be imported either)."""
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""


def imported_modules(module: Path) -> list[Path]:
    """This package's modules that one of its modules imports (`from . import x`, `from .x import y`)."""
    return [path for module_name, names in RELATIVE_IMPORT.findall(source(module))
            for path in existing(module.parent, imported_names(module_name, names))]


def package_imports(path: Path) -> list[Path]:
    """This package's modules that a file outside it imports (a plugin, a script)."""
    found = []
    for module_name, names, plain in PACKAGE_IMPORT.findall(source(path)):
        found += existing(PACKAGE, [plain] if plain else imported_names(module_name, names))
    return found + existing(PACKAGE, ["__init__"]) if found else []  # importing runs __init__.py too


def closure(modules: list[Path], skip: frozenset[str] = frozenset()) -> set[Path]:
    """These modules and the package's modules they import, directly or through another, but
    for those whose file name is in `skip` (and what only they import)."""
    found, waiting = set(), list(modules)
    while waiting:
        module = waiting.pop()
        if module in found or module.name in skip:
            continue
        found.add(module)
        waiting += imported_modules(module)
    return found
