"""The licence pyproject.toml names is the one shipped beside the code."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_mit_licence_is_shipped_with_its_copyright_holder():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert declared["license"] == {"text": "MIT"}
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The Register to Vote contributors" in text
    assert "Permission is hereby granted, free of charge" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
