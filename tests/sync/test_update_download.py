"""The counter side of updates: what hello said is kept, an administrator downloads the installer
from the real server in-process, and it is verified (size, SHA-256, Authenticode when configured)
before it is kept; a bad file is deleted and said, and nothing is ever run."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from simulation import CLERK, OFFICE_A

import counter_app
from counter_app.domain.errors import DomainError
from counter_app.domain.messages import message
from counter_app.server.updates import load_updates
from counter_app.services.updates import Signature, UpdateSetting

ADMIN = "quantri.a"
LAUNCHER = Path(__import__("pip").__file__).parent / "_vendor" / "distlib" / "t64.exe"  # a real, small PE file


def publish(host, folder: Path, data: bytes, version: str = "0.2.0", minimum: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"counter-app-{version}-setup.exe"
    path.write_bytes(data)
    host.service.updates = load_updates(installer=path, minimum=minimum, environ={})
    return path


@pytest.fixture
def counter(make_counter, host, monkeypatch):
    monkeypatch.setattr(counter_app, "__version__", "0.1.0")
    host.service.add_user(OFFICE_A, ADMIN, "Quản trị A", "administrator", "matkhau123")
    return make_counter(OFFICE_A)


def files(counter) -> list[str]:
    folder = counter.sync.updates.folder()
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_administrator_downloads_the_offered_installer_verified_and_nothing_runs(counter, host, tmp_path) -> None:
    data = os.urandom(700_000)
    published = publish(host, tmp_path / "srv", data, minimum="0.1.0")
    assert counter.round().ok
    state = counter.sync.updates.state()
    assert (state.latest, state.minimum, state.available, state.required) == ("0.2.0", "0.1.0", True, False)
    assert state.installer.sha256 == hashlib.sha256(data).hexdigest() and state.installer.size == len(data)

    with pytest.raises(DomainError):
        counter.sync.updates.download(CLERK[OFFICE_A])  # a clerk is never offered it
    with pytest.raises(DomainError):
        counter.sync.updates.offer(CLERK[OFFICE_A])
    assert files(counter) == []

    seen: list[tuple[int, int | None]] = []
    result = counter.sync.updates.download(ADMIN, lambda done, total: seen.append((done, total)))
    kept = Path(result.path)
    assert kept == counter.data_dir / "updates" / published.name
    assert kept.read_bytes() == data and files(counter) == [published.name]  # no .part left
    assert seen[-1] == (len(data), len(data)) and len(seen) > 1  # streamed, with progress
    assert (result.signature, result.already) == (Signature.NOT_SIGNED, False)
    assert result.signature_reason == "no_authority" and "no signing authority" in result.signature_detail
    assert counter.sync.updates.state().downloaded == str(kept)
    again = counter.sync.updates.download(ADMIN)
    assert again.already and kept.read_bytes() == data

    host.service.updates = None  # the server stops offering it: the next round clears the offer
    assert counter.round().ok
    assert counter.sync.updates.state().installer is None


def test_a_file_that_does_not_match_what_hello_announced_is_deleted_and_said(counter, host, tmp_path) -> None:
    data = os.urandom(200_000)
    published = publish(host, tmp_path / "srv", data)
    assert counter.round().ok
    # The file on the server changes in place, same size and time (a disk fault, a tampering):
    # the server still serves it; the counter must notice.
    stat = published.stat()
    published.write_bytes(os.urandom(len(data)))
    os.utime(published, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.hash_mismatch"
    assert "đã xoá tệp" in message(raised.value.code, "vi", **raised.value.params)
    assert files(counter) == []

    # Announced size wrong (what a truncated transfer looks like): deleted too.
    with counter.sync.context.uow() as uow:
        raw = uow.settings.get(UpdateSetting.INSTALLER).replace(f'"size": {len(data)}', f'"size": {len(data) + 1}')
        uow.settings.set(UpdateSetting.INSTALLER, raw)
        uow.commit()
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.size_mismatch" and files(counter) == []

    published.unlink()  # and a server that cannot serve it: said, nothing kept, sync unharmed
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.download_failed" and files(counter) == []
    assert counter.round().ok


@pytest.mark.skipif(not (shutil.which("osslsigncode") and shutil.which("openssl") and LAUNCHER.is_file()),
                    reason="needs osslsigncode, openssl and pip's t64.exe launcher")
def test_a_configured_authority_makes_the_signature_checked(counter, host, tmp_path) -> None:
    pki = tmp_path / "pki"
    pki.mkdir()
    ca, signed = _signed_launcher(pki, "Sở TTTT thử nghiệm")
    other_ca, _ = _signed_launcher(pki / "other", "Someone else")
    counter.sync.updates.set_signing(ADMIN, str(ca))
    with pytest.raises(DomainError):
        counter.sync.updates.set_signing(CLERK[OFFICE_A], "")

    publish(host, tmp_path / "srv", signed.read_bytes())
    assert counter.round().ok
    result = counter.sync.updates.download(ADMIN)
    assert result.signature == Signature.VERIFIED and "CN=" in result.signature_detail

    Path(result.path).unlink()
    counter.sync.updates.set_signing(ADMIN, str(other_ca))  # signed, but not by the authority we trust
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.signature_invalid" and files(counter) == []

    counter.sync.updates.set_signing(ADMIN, str(ca))
    publish(host, tmp_path / "srv2", LAUNCHER.read_bytes(), version="0.3.0")  # not signed at all
    assert counter.round().ok
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.signature_invalid" and files(counter) == []


def _signed_launcher(folder: Path, signer: str) -> tuple[Path, Path]:
    """A throwaway CA, a code-signing certificate from it, and pip's launcher signed with it."""
    folder.mkdir(parents=True, exist_ok=True)

    def run(*cmd: str) -> None:
        subprocess.run(cmd, cwd=folder, check=True, capture_output=True)

    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
        "2", "-subj", "/CN=Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
        "keyUsage=critical,keyCertSign")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "sign.key", "-out", "sign.csr", "-subj",
        f"/CN={signer}", "-utf8")
    (folder / "ext.cnf").write_text("extendedKeyUsage=codeSigning\nkeyUsage=digitalSignature\n")
    run("openssl", "x509", "-req", "-in", "sign.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "sign.pem", "-days", "2", "-extfile", "ext.cnf")
    run("osslsigncode", "sign", "-certs", "sign.pem", "-key", "sign.key", "-in", str(LAUNCHER), "-out", "signed.exe")
    return folder / "ca.pem", folder / "signed.exe"


def run_cli(argv: list[str], counter, secrets, capsys) -> tuple[int, str, str]:
    import argparse

    from counter_app.entry import cli_sync

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="main.py")
    parser.add_argument("--data-dir", type=Path, default=None)
    cli_sync.register({"root": parser.add_subparsers(dest="command")}, common)
    args = parser.parse_args(["--data-dir", str(counter.data_dir), *argv])
    code = cli_sync.dispatch(args, connect=lambda _url, token: counter.host.transport(token), secrets=secrets)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line_shows_the_offer_and_an_administrator_downloads_it(
        make_counter, host, tmp_path, capsys, monkeypatch) -> None:
    import io
    import json

    from memory_secrets import MemorySecrets

    monkeypatch.setattr(counter_app, "__version__", "0.1.0")
    host.service.add_user(OFFICE_A, ADMIN, "Quản trị A", "administrator", "matkhau123")
    secrets = MemorySecrets()
    counter = make_counter(OFFICE_A, secrets=secrets)
    data = os.urandom(150_000)
    publish(host, tmp_path / "srv", data, minimum="0.2.0")
    assert counter.round().error_code == ""  # nothing pending: nothing refused yet
    rc, out, _ = run_cli(["sync", "updates"], counter, secrets, capsys)  # read-only: no account needed
    shown = json.loads(out)
    assert (rc, shown["latest"], shown["required"], shown["available"]) == (0, "0.2.0", True, True)
    assert shown["installer"]["sha256"] == hashlib.sha256(data).hexdigest()

    monkeypatch.setattr("sys.stdin", io.StringIO("matkhau123\n"))
    rc, out, err = run_cli(["sync", "download-update", "--clerk", CLERK[OFFICE_A], "--password-stdin"],
                           counter, secrets, capsys)
    assert rc == 2 and files(counter) == [] and err.count("\n") == 1  # a clerk may not
    assert "not allowed" in err and "manage_settings" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("matkhau123\n"))
    rc, out, err = run_cli(["sync", "download-update", "--clerk", ADMIN, "--password-stdin"], counter, secrets,
                           capsys)
    assert rc == 0, err
    result = json.loads(out)
    assert Path(result["path"]).read_bytes() == data and result["signature"] == "not_signed"
    assert "downloaded 0.1 MiB of 0.1 (100 %)" in err


def test_an_unreadable_offer_or_a_download_cut_short_leaves_nothing_half_done(counter, host, tmp_path) -> None:
    data = os.urandom(100_000)
    published = publish(host, tmp_path / "srv", data)
    assert counter.round().ok
    with counter.sync.context.uow() as uow:
        uow.settings.set(UpdateSetting.INSTALLER, '{"version": "0.2.0", "size": ')  # a torn write, say
        uow.commit()
    state = counter.sync.updates.state()
    assert state.installer is None and not state.available  # no offer, no failure
    with pytest.raises(DomainError) as raised:
        counter.sync.updates.download(ADMIN)
    assert raised.value.code == "update.none"
    assert counter.round().ok  # the next round writes the offer again
    folder = counter.sync.updates.folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (published.name + ".part")).write_bytes(data[:5000])  # the PC was switched off mid-download
    assert counter.sync.updates.state().downloaded == ""  # a .part is never taken for the installer
    result = counter.sync.updates.download(ADMIN)
    assert Path(result.path).read_bytes() == data and files(counter) == [published.name]
