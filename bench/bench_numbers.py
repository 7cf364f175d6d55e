"""The receive service call (F9) with the office hub's numbers: online, hub down, hub hung.

Seeds N dossiers (default 100,000, as bench_reception.py), then times ``reception.receive``
(validate + numbers + dossier + event + outbox, committed) first with no hub at all
(receive_no_hub_p50/p95, the figure of bench_reception.py), then on a workstation enrolled with:

- a real office hub under uvicorn on loopback (its numbers asked per dossier over HTTP):
  receive_hub_online_p50/p95;
- a hub whose port refuses connections (PC off the LAN is similar after the connect
  timeout): receive_hub_down_p50/p95, every call after the first within the quiet period;
- a hub that accepts the connection but never answers (hung): receive_hub_hung_first (the
  one call that waits for the read timeout) and receive_hub_hung_p95 of the calls after it.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import REPO, emit, p50, percentile

N_DOSSIERS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
N_CALLS = 200
OFFICE = "H45.123"  # the demo office of seed-demo


def main() -> None:
    import httpx
    import uvicorn

    from counter_app.app import build_services
    from counter_app.server.app import create_app
    from counter_app.server.bootstrap import seed_defaults
    from counter_app.server.hub import install_hub_routes, open_hub
    from counter_app.services.commands import ApplicantInput, ReceiveCommand
    from counter_app.services.sync import SyncSetting
    from counter_app.sync.client import HttpTransport
    from counter_app.sync.numbers import HubNumbers

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "counter"
        subprocess.run([sys.executable, str(REPO / "main.py"), "seed-demo", "--dossiers", str(N_DOSSIERS),
                        "--data-dir", str(data)], capture_output=True, text=True, check=True)
        services = build_services(data)
        ctx = services.context
        applicant = ApplicantInput(name="Nguyễn Văn An", id_number="045090001234", phone="0912345678",
                                   address="Số 12 đường Lê Lợi, phường Đông Hà, tỉnh Quảng Trị")

        def timed(n: int) -> list[float]:
            samples = []
            for i in range(n):
                cmd = ReceiveCommand(procedure_code="1.001193" if i % 2 else "1.004873", applicant=applicant)
                t0 = time.perf_counter()
                services.reception.receive(cmd, "canbo1")
                samples.append((time.perf_counter() - t0) * 1000)
            return samples

        def point_at(url: str, token: str) -> None:
            with ctx.uow() as uow:
                uow.settings.set(SyncSetting.SERVER_URL, url)
                uow.settings.set(SyncSetting.DEVICE_ID, "bench-device")
                uow.commit()
            ctx.numbers = HubNumbers(ctx, lambda u, t: HttpTransport(u, t), lambda: token)

        # The baseline on the same folder and machine load: not enrolled, no hub to ask.
        alone = timed(N_CALLS)
        emit("receive_no_hub_p50", p50(alone), "ms")
        emit("receive_no_hub_p95", percentile(alone, 95), "ms")

        # A real hub on loopback.
        hub = open_hub(f"sqlite:///{Path(tmp) / 'hub.sqlite'}")
        seed_defaults(hub)
        hub.add_office(OFFICE, "UBND phường Đông Hà (demo)")
        app = create_app(hub)
        install_hub_routes(app, hub)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        token = httpx.post(f"{url}/api/v1/enroll", json={"code": hub.issue_enroll_code(OFFICE)["code"],
                                                          "device_name": "bench"}).json()["token"]
        point_at(url, token)
        online = timed(N_CALLS)
        emit("receive_hub_online_p50", p50(online), "ms")
        emit("receive_hub_online_p95", percentile(online, 95), "ms")
        server.should_exit = True
        thread.join(10)

        # The hub's port refuses connections.
        refused = socket.socket()
        refused.bind(("127.0.0.1", 0))
        port = refused.getsockname()[1]
        refused.close()  # nothing listens there now
        point_at(f"http://127.0.0.1:{port}", token)
        down = timed(N_CALLS)
        emit("receive_hub_down_p50", p50(down), "ms")
        emit("receive_hub_down_p95", percentile(down, 95), "ms")

        # The hub accepts but never answers (the kernel's backlog takes the connection).
        hung = socket.socket()
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        point_at(f"http://127.0.0.1:{hung.getsockname()[1]}", token)
        stuck = timed(N_CALLS)
        emit("receive_hub_hung_first", stuck[0], "ms")
        emit("receive_hub_hung_p95", percentile(stuck[1:], 95), "ms")
        hung.close()
        print(json.dumps({"numbers_from_hub": N_CALLS}), file=sys.stderr)


if __name__ == "__main__":
    main()
