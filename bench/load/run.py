"""Tessere under load: gunicorn on PostgreSQL, driven by Locust from a second process.

Usage (from the repository root, with the ``bench`` extra installed):

    .venv/bin/python bench/load/run.py [--factor 0.1] [--users 10] [--think 0] [--duration 60]

1. ``tessere setup --demo`` on the database of ``DATABASE_URL`` (default: the local
   ``tessere_load``), then ``tessere generate-scale-data`` on one district (skipped when the
   district already holds generated data);
2. ``prepare.py``: known passwords and TOTP keys on the bench accounts, identifiers to visit;
3. gunicorn (sync workers) serving the bench's URLconf: Tessere plus ``/bench/one-row``;
4. Locust, headless, on loopback: first only the one-row view (the ceiling), then the mix of
   citizens, planners, social workers and providers, each for a bounded time;
5. prints p50, p95, p99 per page, requests per second, errors, and the mix's throughput as a
   share of the ceiling.

Only for a throw-away database: it sets passwords on accounts.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tessere_load"


def run(cmd: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    return subprocess.run(cmd, env=env, check=check, text=True, capture_output=not check)  # noqa: S603


def locust(
    classes: list[str],
    users: int,
    seconds: int,
    host: str,
    out: Path,
    env: dict[str, str],
    spawn_rate: float | None = None,
) -> dict[str, dict[str, str]]:
    prefix = out / "_".join(classes).lower()
    subprocess.run(  # noqa: S603 - our own commands
        [
            str(BIN / "locust"),
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate or users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--district", default="cremona")
    parser.add_argument("--factor", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=10, help="requests in flight")
    parser.add_argument(
        "--think",
        type=float,
        default=0,
        help="seconds each user waits between requests (between half and 1.5 times; 0: none)",
    )
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mix")
    parser.add_argument("--ceiling-duration", type=int, default=20)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2,
        help="users started per second in the mix (social workers log in when they start: "
        "Argon2 hashing, a third of a second of CPU each, so not all in the same second)",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()

    var_dir = Path(os.environ.get("TESSERE_VAR_DIR", HERE / ".var"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DB),
        "TESSERE_VAR_DIR": str(var_dir),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
    }
    tessere = str(BIN / "tessere")
    if not args.skip_setup:
        run([tessere, "setup", "--demo"], env)
        result = run(
            [
                tessere,
                "generate-scale-data",
                "--district",
                args.district,
                "--factor",
                str(args.factor),
                "--seed",
                str(args.seed),
            ],
            env,
            check=False,
        )
        print(result.stdout.strip().splitlines()[-1] if result.stdout else "", result.stderr)
        if result.returncode and "già dati generati" not in result.stderr:
            sys.exit(result.returncode)
    out = Path(tempfile.mkdtemp(prefix="tessere-load-"))
    data = out / "data.json"
    run([sys.executable, str(HERE / "prepare.py"), args.district, str(data)], env)
    env["LOAD_DATA"] = str(data)
    env["LOAD_THINK"] = str(args.think)

    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            str(BIN / "gunicorn"),
            "load_wsgi:application",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--chdir",
            str(HERE),
            "--log-level",
            "warning",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "load_settings"},
    )
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{host}/bench/one-row", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("gunicorn did not answer")
        warm_up(host, json.loads(data.read_text()), args.workers)
        ceiling = locust(["OneRow"], args.users, args.ceiling_duration, host, out, env)
        mix = locust(
            ["Citizen", "Planner", "SocialWorker", "Provider"],
            args.users,
            args.duration,
            host,
            out,
            env,
            spawn_rate=args.spawn_rate,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(ceiling, mix, args)
    shutil.rmtree(out, ignore_errors=True)


def warm_up(host: str, visit: dict[str, Any], workers: int) -> None:
    """Each public page a few times per worker before measuring: a worker draws a chart the
    first time it serves a set of numbers and keeps it (0.4 s at factor 1), a cost of its start,
    not of the steady state the bench measures."""
    pages = [f"/piano/{visit['plan']}/pubblico/", f"/monitoraggio/{visit['district']}/"]
    for _ in range(workers * 3):
        for page in pages:
            with urllib.request.urlopen(host + page, timeout=60) as response:  # noqa: S310
                response.read()


def report(
    ceiling: dict[str, dict[str, str]], mix: dict[str, dict[str, str]], args: argparse.Namespace
) -> None:
    print(
        f"\nTessere under load: district {args.district} (factor {args.factor}), gunicorn "
        f"{args.workers} sync workers, {args.users} users "
        + (f"thinking {args.think:g} s on average" if args.think else "without think time")
        + f" (started {args.spawn_rate:g} per second), {os.cpu_count()} "
        "CPUs shared by server, database and Locust"
    )
    print(f"{'page':<30} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    slow = []
    for stats in (ceiling, mix):
        for name, row in stats.items():
            if name == "Aggregated":
                continue
            p95 = float(row["95%"])
            print(
                f"{name:<30} {row['Request Count']:>8} {row['Failure Count']:>6} "
                f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
            )
            if p95 > 200:
                slow.append(name)
    base = float(ceiling["Aggregated"]["Requests/s"])
    total = mix["Aggregated"]
    rps = float(total["Requests/s"])
    print(
        f"\nbare view (one row): {base:.1f} requests/s; Tessere's mix: {rps:.1f} requests/s, "
        f"{total['Failure Count']} errors, p95 {total['95%']} ms; mix / ceiling = "
        f"{rps / base:.1%}"
        if base
        else "no ceiling measured"
    )
    print("pages over 200 ms at p95: " + (", ".join(slow) if slow else "none"))


if __name__ == "__main__":
    main()
