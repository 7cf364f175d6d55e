"""Soak run of the sync simulation: ``python -m tests.sync.soak --seeds 1000 [--hub-seeds 200]``.

Prints each failing seed with its first broken invariant, then the figures
``sync_soak_failing_seeds N count``, ``sync_soak_hub_failing_seeds N count`` (the world with
an office hub, ``simulation_hub.py``), ``sync_soak_file_failing_seeds N count`` (the world with
files, ``simulation_files.py``) and ``sync_soak_seconds S s``. Exit 1 if any seed failed.
A failing seed found here becomes a named regression test in test_simulation.py.
"""
from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))  # tests/: the shared fakes

from simulation import build_template, run_seed  # noqa: E402
from simulation_files import run_file_seed  # noqa: E402
from simulation_hub import build_hub_template, run_hub_seed  # noqa: E402


def _run(seeds: range, run: Callable[[int, Path], object], root: Path, label: str) -> list[int]:
    failing = []
    for seed in seeds:
        world = root / f"{label}{seed}"
        try:
            run(seed, world)
        except (AssertionError, Exception) as exc:  # noqa: BLE001 - report every seed, keep going
            failing.append(seed)
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            print(f"{label} seed {seed} FAILED: {first}", file=sys.stderr)
            if not isinstance(exc, AssertionError):
                traceback.print_exc()
        finally:
            shutil.rmtree(world, ignore_errors=True)
    return failing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.sync.soak")
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--start", type=int, default=0, help="first seed")
    parser.add_argument("--hub-seeds", type=int, default=200, help="seeds of the world with an office hub")
    parser.add_argument("--file-seeds", type=int, default=200, help="seeds of the world with files")
    parser.add_argument("--steps", type=int, default=24, help="random operations per seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the engine's per-round warnings are expected here
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="sync-soak-"))
    try:
        template, hub_template = root / "template", root / "hub-template"
        tokens = build_template(template)["tokens"]
        failing = _run(range(args.start, args.start + args.seeds),
                       lambda seed, world: run_seed(seed, world, template, tokens, steps=args.steps), root, "seed")
        hub = build_hub_template(hub_template)
        hub_failing = _run(range(args.start, args.start + args.hub_seeds),
                           lambda seed, world: run_hub_seed(seed, world, hub_template, hub["tokens"], hub["hub_token"],
                                                            steps=args.steps), root, "hub")
        file_failing = _run(range(args.start, args.start + args.file_seeds),
                            lambda seed, world: run_file_seed(seed, world, template, tokens, steps=args.steps), root,
                            "files")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"sync_soak_failing_seeds {len(failing)} count")
    print(f"sync_soak_hub_failing_seeds {len(hub_failing)} count")
    print(f"sync_soak_file_failing_seeds {len(file_failing)} count")
    print(f"sync_soak_seconds {time.perf_counter() - started:.1f} s")
    if failing or hub_failing or file_failing:
        print("failing seeds: " + " ".join(map(str, failing)) + " | hub: " + " ".join(map(str, hub_failing))
              + " | files: " + " ".join(map(str, file_failing)), file=sys.stderr)
    failing = failing + hub_failing + file_failing
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
