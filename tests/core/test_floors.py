"""The apps stand on floors (docs/architecture.md): none imports an app above its
own, except the imports named in `floors.UPWARD`."""

from pathlib import Path

from ier.core.checks import floors


def test_no_app_imports_an_app_on_a_higher_floor():
    assert floors.problems_in(Path("src/ier")) == []


def test_every_app_stands_on_a_floor():
    apps = {p.parent.name for p in Path("src/ier").glob("*/apps.py")}
    assert apps - {"config"} <= set(floors.FLOOR)


def test_an_import_from_a_higher_floor_is_caught(tmp_path):
    root = tmp_path / "ier"
    (root / "registration").mkdir(parents=True)
    (root / "registration" / "views.py").write_text(
        "def page():\n    from ier.ero.access import officer_required\n"
    )
    (root / "ero").mkdir()
    (root / "ero" / "access.py").write_text("from ier.registration import models\n")
    assert floors.problems_in(root) == [
        "%s:2: registration (floor 3) imports ier.ero.access (floor 6)"
        % (root / "registration" / "views.py")
    ]


def test_a_named_upward_import_is_allowed(tmp_path):
    root = tmp_path / "ier"
    (root / "core").mkdir(parents=True)
    (root / "core" / "server.py").write_text("import ier.config.wsgi\n")
    assert floors.problems_in(root) == []
