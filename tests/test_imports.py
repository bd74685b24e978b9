"""Which of the package's modules a piece of code imports: the converter's fingerprint and the
build's environment follow them."""

from briefing import imports
from briefing.imports import closure, imported_modules, package_imports


def test_every_form_of_import_from_outside_the_package_is_followed(tmp_path, monkeypatch):
    package = tmp_path / "briefing"
    package.mkdir()
    for name in ("__init__", "periods", "progress", "up_to_date", "lock", "unused"):
        (package / f"{name}.py").write_text("", "utf-8")
    monkeypatch.setattr(imports, "PACKAGE", package)
    plugin = tmp_path / "plugin.py"
    plugin.write_text("from briefing.periods import (Period,  # a comment\n    month_of)\n"
                      "def later():\n    from briefing import progress, up_to_date as stamps\n"
                      "import briefing.lock\n# from briefing.unused import nothing\n", "utf-8")
    assert sorted(path.name for path in package_imports(plugin)) == [
        "__init__.py", "lock.py", "periods.py", "progress.py", "up_to_date.py"]
    plugin.write_text("import os\n", "utf-8")
    assert package_imports(plugin) == []


def test_relative_imports_are_followed_through_the_package_but_not_past_what_is_skipped(tmp_path):
    for name, text in [("convert", "from .pipeline import convert_seed\n"),
                       ("pipeline", "def f():\n    from . import (entities,\n        dates as d)\n"),
                       ("entities", "from .progress import Progress\n"), ("dates", ""),
                       ("progress", "from .heavy import x\n"), ("heavy", "")]:
        (tmp_path / f"{name}.py").write_text(text, "utf-8")
    assert [path.name for path in imported_modules(tmp_path / "pipeline.py")] == ["entities.py", "dates.py"]
    assert {path.name for path in closure([tmp_path / "convert.py"])} == {
        "convert.py", "pipeline.py", "entities.py", "dates.py", "progress.py", "heavy.py"}
    assert {path.name for path in closure([tmp_path / "convert.py"], frozenset({"progress.py"}))} == {
        "convert.py", "pipeline.py", "entities.py", "dates.py"}


def test_a_file_that_is_not_text_or_is_gone_imports_nothing(tmp_path):
    odd = tmp_path / "odd.py"
    odd.write_bytes(b"\xff\xfe from briefing.periods import x \x00")
    assert package_imports(tmp_path / "gone.py") == [] and imported_modules(tmp_path / "gone.py") == []
    assert package_imports(odd) == []  # read, not decoded strictly: no crash
