"""The sync simulation with files (simulation_files.py): uploads cut at any byte, chunks sent twice or
spoiled, downloads cut or spoiled, counters killed; every file arrives intact exactly once."""
from __future__ import annotations

import os

import pytest
from simulation_files import run_file_seed

SEEDS = int(os.environ.get("SYNC_SIM_FILE_SEEDS", "8"))


@pytest.mark.parametrize("seed", range(SEEDS))
def test_seed_moves_every_file_intact_exactly_once(seed: int, sim_template, tmp_path) -> None:
    template, tokens = sim_template
    world = run_file_seed(seed, tmp_path / "world", template, tokens)
    assert world.attached or not world.receipts  # something was attached whenever there was a dossier
