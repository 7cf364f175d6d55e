"""The suite's own footing: the fixtures reach a real server and a real counter on both databases."""
from __future__ import annotations


def test_device_pushes_and_pulls_on_the_real_server(device, build):
    pushed = build.dossier(device.office, device.stamp())
    answer = device.push(pushed)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["result"] == "applied"
    assert pushed["change_id"] in {c["change_id"] for c in device.pull_all()}


def test_counter_receives_and_its_dossier_reaches_the_server(server, counter, make_device):
    dossier = counter.receive()
    counter.round()
    other = make_device(counter.office)
    assert dossier.id in {c["entity_id"] for c in other.pull_all()}
