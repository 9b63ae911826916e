"""Webhook deliveries per second for one worker, and the p95 from event to delivery.

One process plays one worker: it runs the real job path (`execute_job`: claim, sign, POST, log)
against a fresh database; the receiver is a separate process on loopback that notes when each
`webhook-id` arrives. Each event is about another user (events of one object go one after
another: per-object order). Phase 1 drains a backlog (throughput); phase 2 produces events at a
steady rate while the worker keeps up (latency from commit to arrival, with the worker polling every
10 ms; in a deployment add the hand-over: the embedded runner is woken by the request that wrote
the event, arq adds one Redis round trip).
Usage: python bench/webhook_delivery.py [--n 500] [--rate 40] [--concurrency 10] [--database-url URL]
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.fresh_database import fresh_database  # noqa: E402 - after the path is set

RECEIVER = """
import sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
out = open(sys.argv[1], "a", buffering=1)
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        out.write(f"{self.headers['webhook-id']} {time.time()}\\n")
        self.send_response(204); self.send_header("content-length", "0"); self.end_headers()
    def log_message(self, *a): pass
server = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


def arrivals(path: Path) -> dict[str, float]:
    found: dict[str, float] = {}
    for line in path.read_text().splitlines():
        event_id, at = line.split()
        found.setdefault(event_id, float(at))
    return found


async def measure(n: int, rate: float, concurrency: int) -> None:
    from db.transaction import transaction
    from host.settings import load_settings
    from resolvers import events
    from resolvers.principal import SystemPrincipal
    from resolvers.webhook_endpoints import create_endpoint
    from workers.job_queue import pending_job_ids
    from workers.jobs import execute_job

    settings = load_settings()
    log = Path(tempfile.mkdtemp()) / "arrivals.log"
    receiver = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", RECEIVER, str(log)], stdout=subprocess.PIPE, text=True
    )
    try:
        port = int((receiver.stdout.readline() if receiver.stdout else "0").strip())
        await create_endpoint(
            SystemPrincipal("bench"),
            settings.secret_key,
            url=f"http://127.0.0.1:{port}/",
            event_types=[],
            private_networks=settings.deployment().allows_private_networks,
        )

        produced_ids: list[str] = []

        async def produce(count: int) -> dict[str, float]:
            """Events committed one by one, as changes commit them; returns id -> commit time."""
            made = {}
            for _ in range(count):
                # each about another user: events of one object wait for each other (per-object order)
                user_id = f"usr_bench_{len(produced_ids)}"
                produced_ids.append(user_id)
                async with transaction():
                    event_id = await events.emit("user.updated", {"user": {"id": user_id}})
                made[event_id] = time.time()
            return made

        async def drain(stop_when_empty: bool, stop: asyncio.Event | None = None) -> int:
            ran = 0
            while True:
                due = await pending_job_ids(limit=50)
                for start in range(0, len(due), concurrency):  # arq runs max_jobs (10) at once
                    batch = due[start : start + concurrency]
                    await asyncio.gather(*(execute_job(job_id, settings.job_context()) for job_id in batch))
                    ran += len(batch)
                if not due:
                    if stop_when_empty or (stop is not None and stop.is_set()):
                        return ran
                    await asyncio.sleep(0.01)

        await produce(n)
        started = time.perf_counter()
        delivered = await drain(stop_when_empty=True)
        elapsed = time.perf_counter() - started
        engine = os.environ["TENANTRY_DATABASE_URL"].split(":")[0]
        print(
            f"webhook deliveries ({engine}, one worker, {concurrency} at a time, receiver on loopback): "
            f"{delivered / elapsed:.0f}/s over {delivered}"
        )

        stop = asyncio.Event()
        worker = asyncio.create_task(drain(stop_when_empty=False, stop=stop))
        produced: dict[str, float] = {}
        steady = max(10, n // 2)
        for _ in range(steady):
            produced.update(await produce(1))
            await asyncio.sleep(1 / rate)
        await asyncio.sleep(1)
        stop.set()
        await worker
        arrived = arrivals(log)
        latencies = sorted((arrived[e] - t) * 1000 for e, t in produced.items() if e in arrived)
        if not latencies:
            raise SystemExit("no event of the steady phase arrived: look at the delivery log")
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(
            f"event to delivery at {rate:.0f} events/s: p50 {statistics.median(latencies):.1f} ms, "
            f"p95 {p95:.1f} ms ({len(latencies)}/{len(produced)} delivered)"
        )
    finally:
        receiver.terminate()


async def run(n: int, rate: float, concurrency: int) -> None:
    async with fresh_database():
        await measure(n, rate, concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--rate", type=float, default=40)
    parser.add_argument("--concurrency", type=int, default=10, help="jobs at once (arq's max_jobs is 10)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    os.environ["TENANTRY_DATABASE_URL"] = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    asyncio.run(run(args.n, args.rate, args.concurrency))


if __name__ == "__main__":
    main()
