"""The README stays true to the code: its first commands, its configuration table (generated from
Settings by scripts/settings_table.py) and the recipes it names."""

from __future__ import annotations

import re

from procus.config import PROJECT_ROOT, Settings
from tests.support.deploy_files import settings_table_script

README = (PROJECT_ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```")[1]
    assert first_block.splitlines()[1:] == ["python3 scripts/bootstrap.py dev", "python3 scripts/bootstrap.py test"]
    assert "python3 scripts/bootstrap.py test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_readme_names_every_setting() -> None:
    missing = [name.upper() for name in Settings.__struct_fields__ if f"`{name.upper()}`" not in README]
    assert not missing


def test_configuration_table_is_current() -> None:
    script = settings_table_script()
    assert script.replace_table(README, script.markdown_table()) == README, (
        "run `python3 scripts/settings_table.py --write`"
    )


def test_every_setting_has_its_meaning_written_once() -> None:
    script = settings_table_script()
    fields = set(Settings.__struct_fields__)
    documented = set(script.field_docstrings())
    assert set(script.MEANINGS) <= fields, "MEANINGS describes fields Settings no longer has"
    assert not documented & set(script.MEANINGS), "a field has both a docstring and an entry in MEANINGS"
    assert fields <= documented | set(script.MEANINGS)


def _recipes() -> set[str]:
    justfile = (PROJECT_ROOT / "justfile").read_text()
    return set(re.findall(r"^([a-z][a-z0-9-]*)(?:\s[^:=]*)?:(?!=)", justfile, flags=re.MULTILINE))


def test_recipes_in_the_readme_exist() -> None:
    named = set(re.findall(r"bootstrap\.py ([a-z][a-z0-9-]*)", README))
    recipes_section = README.split("## Other recipes")[1].split("\n## ")[0]
    for row in recipes_section.splitlines():
        if row.startswith("| `"):
            named |= set(re.findall(r"`([a-z][a-z0-9-]*)", row.split("|")[1]))
    assert {"dev", "test", "lint", "migrate"} <= named
    assert named <= _recipes(), f"not in the justfile: {sorted(named - _recipes())}"
