"""Every guide has a notebook: linked from the guide, present, and listed under Notebooks.

The notebooks themselves are executed by the strict build (mkdocs-jupyter, `allow_errors: false`),
which `tests/site` runs; here only the cheap structure is checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GUIDES = sorted((ROOT / "docs" / "guides").glob("*.md"))
LINK = re.compile(r"\]\(\.\./notebooks/([\w-]+\.py)\)")


def _nav_notebooks() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text()
    # mkdocs.yml uses !!python/name tags; only the nav is needed, so read it as plain text
    nav = text[text.index("\nnav:") :]
    return re.findall(r"-\s+(notebooks/[\w-]+\.py)", nav)


def test_every_guide_links_a_notebook_that_exists_and_is_in_the_nav():
    nav = _nav_notebooks()
    assert GUIDES
    for guide in GUIDES:
        links = LINK.findall(guide.read_text())
        assert links, f"{guide.name} links no notebook"
        for name in links:
            assert (ROOT / "docs" / "notebooks" / name).is_file(), name
            assert f"notebooks/{name}" in nav, f"{name} is not under Notebooks in mkdocs.yml"


def test_notebooks_are_jupytext_percent_scripts_with_a_plug_in_cell():
    for path in sorted((ROOT / "docs" / "notebooks").glob("*.py")):
        text = path.read_text()
        header = yaml.safe_load(text.split("# ---\n")[1].replace("\n# ", "\n").lstrip("# "))
        assert header["jupyter"]["jupytext"]["text_representation"]["format_name"] == "percent"
        assert "# %%" in text
        if path.stem.startswith("choosing"):
            assert "# --- your " in text, f"{path.name}: mark the cell a user edits"
