"""Updates through the sync server: hello names the latest and minimum versions and the hosted
installer; pushes below the minimum are refused whole; the installer is served to devices."""
from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from counter_app.domain.errors import DomainError
from counter_app.server.updates import INSTALLER_VARIABLE, LATEST_VARIABLE, MINIMUM_VARIABLE, load_updates
from counter_app.sync.protocol import VERSION_HEADER, HelloResponse

HELLO = {"protocol": 1, "client_time": datetime(2026, 12, 4, 9, 0, tzinfo=UTC).isoformat()}


def installer(folder: Path, version: str = "0.2.0", size: int = 300_000) -> tuple[Path, bytes]:
    path = folder / f"counter-app-{version}-setup.exe"
    data = os.urandom(size)
    path.write_bytes(data)
    return path, data


def hello(harness, headers: dict[str, str], version: str | None) -> dict:
    extra = {VERSION_HEADER: version} if version is not None else {}
    response = harness.client.post("/api/v1/sync/hello", json=HELLO, headers={**headers, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_hello_names_no_update_when_the_server_has_none(harness, build) -> None:
    device = harness.device(harness.office(build.A))
    answer = hello(harness, device, "0.1.0")
    assert (answer["latest_version"], answer["minimum_version"], answer["installer"]) == ("", "", None)
    assert harness.push(device, build.dossier(build.A, harness.stamp()))[0]["result"] == "applied"


def test_hello_offers_the_hosted_installer_and_the_server_serves_exactly_that_file(
        harness, build, tmp_path: Path) -> None:
    path, data = installer(tmp_path)
    harness.service.updates = load_updates(minimum="0.1.0", installer=path, environ={})
    device = harness.device(harness.office(build.A))
    answer = hello(harness, device, "0.1.0")
    assert (answer["latest_version"], answer["minimum_version"]) == ("0.2.0", "0.1.0")  # latest from the name
    offered = answer["installer"]
    assert offered == {"version": "0.2.0", "file_name": path.name, "url": f"/api/v1/updates/{path.name}",
                       "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    got = harness.client.get(offered["url"], headers={**device, "Accept-Encoding": "gzip"})
    assert got.status_code == 200
    assert got.content == data
    assert "content-encoding" not in got.headers  # not gzipped: the size announced is the size sent
    assert int(got.headers["content-length"]) == len(data)
    assert harness.client.get(offered["url"]).status_code == 401  # enrolled devices only
    missing = harness.client.get("/api/v1/updates/counter-app-9.9.9-setup.exe", headers=device)
    assert (missing.status_code, missing.json()["code"]) == (404, "update.not_found")


def test_a_counter_that_names_no_version_gets_the_hello_it_always_got(harness, build, tmp_path: Path) -> None:
    path, _ = installer(tmp_path)
    harness.service.updates = load_updates(installer=path, environ={})
    device = harness.device(harness.office(build.A))
    answer = hello(harness, device, None)
    assert not {"latest_version", "minimum_version", "installer"} & set(answer)
    # What this version's model makes of it; an older counter's strict model would refuse extra keys.
    assert HelloResponse.model_validate(answer).installer is None


def test_pushes_below_the_minimum_are_refused_whole_and_nothing_of_them_is_kept(harness, build) -> None:
    harness.service.updates = load_updates(latest="0.3.0", minimum="0.2.0", environ={})
    device = harness.device(harness.office(build.A))
    change = build.dossier(build.A, harness.stamp())
    for version in ("0.1.9", None, "not-a-version"):
        extra = {VERSION_HEADER: version} if version is not None else {}
        refused = harness.client.post("/api/v1/sync/push", json={"changes": [change]}, headers={**device, **extra})
        assert refused.status_code == 426, version
        assert refused.json()["code"] == "sync.version_unsupported"
        assert "0.2.0" in refused.json()["reason"]
    before = harness.pull_all(device)  # the office's reference rows, nothing of the push
    assert change["change_id"] not in {c["change_id"] for c in before}
    # Pulls still work for the old counter: it may read, it may not write.
    accepted = harness.client.post("/api/v1/sync/push", json={"changes": [change]},
                                   headers={**device, VERSION_HEADER: "0.2"})  # 0.2 == 0.2.0
    assert accepted.status_code == 200 and accepted.json()["results"][0]["result"] == "applied"
    assert [c["change_id"] for c in harness.pull_all(device, after=before[-1]["seq"])] == [change["change_id"]]


def test_an_installer_changed_under_the_running_server_is_not_served(harness, build, tmp_path: Path) -> None:
    path, data = installer(tmp_path)
    harness.service.updates = load_updates(installer=path, environ={})
    device = harness.device(harness.office(build.A))
    path.write_bytes(data + b"tampered")
    got = harness.client.get(f"/api/v1/updates/{path.name}", headers=device)
    assert (got.status_code, got.json()["code"]) == (409, "update.changed")


def test_update_settings_come_from_the_environment_when_not_given(tmp_path: Path) -> None:
    path, data = installer(tmp_path, "1.4.2", size=1000)
    env = {INSTALLER_VARIABLE: str(path), MINIMUM_VARIABLE: "1.3", LATEST_VARIABLE: ""}
    policy = load_updates(environ=env)
    assert policy is not None and policy.installer is not None
    expected = ("1.4.2", "1.3", hashlib.sha256(data).hexdigest())
    assert (policy.latest, policy.minimum, policy.installer.sha256) == expected
    assert policy.refuses("1.2.9") and not policy.refuses("1.3.0") and not policy.refuses("1.10")
    assert load_updates(minimum="1.4", installer=path, environ=env).minimum == "1.4"  # the flag wins
    assert load_updates(environ={}) is None


@pytest.mark.parametrize(("given", "says"), [
    ({"latest": "v2"}, "'v2' is not a version"),
    ({"latest": "0.2.0", "minimum": "0.3.0"}, "above the latest"),
    ({"minimum": "0.3.0"}, "needs the latest"),
    ({"installer": "missing-setup.exe"}, "is not a file"),
    ({"installer": "counter-app-0.2.0-setup.exe", "latest": "0.3.0"}, "is version 0.2.0, not the latest 0.3.0"),
    ({"installer": "setup.exe"}, "not in its name"),
    ({"installer": "counter app 0.2.exe", "latest": "0.2"}, "rename it"),
])
def test_bad_update_settings_are_refused_with_what_is_wrong(tmp_path: Path, given: dict, says: str) -> None:
    for name in ("counter-app-0.2.0-setup.exe", "setup.exe", "counter app 0.2.exe"):
        (tmp_path / name).write_bytes(b"MZ installer")
    if "installer" in given:
        given = {**given, "installer": tmp_path / given["installer"]}
    with pytest.raises(DomainError) as raised:
        load_updates(**given, environ={})
    assert raised.value.code == "config.update"
    assert says in str(raised.value)
