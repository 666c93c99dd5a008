"""The committed sample outputs are what the code gives today (regenerate: python samples/regenerate.py)."""

import importlib.util

from conftest import ROOT


def test_committed_samples_are_up_to_date(tmp_path):
    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "samples" / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path)
    assert written
    stale = [path.name for path in written
             if not (ROOT / "samples" / "output" / path.name).exists()
             or (ROOT / "samples" / "output" / path.name).read_bytes() != path.read_bytes()]
    assert not stale, f"out of date, run `python samples/regenerate.py`: {stale}"
