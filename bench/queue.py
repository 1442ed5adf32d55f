"""The run queue under load, on the production topology as processes (Postgres, a gRPC code server,
the webserver and the daemon with the queued run coordinator; `docker/dagster.yaml`).

20 previews (20 s each) are queued at once with a limit of 2 concurrent runs. In the middle of the
queue the daemon is killed and started again, and one run's worker is killed mid-`clips`. Prints
films per hour, the most runs seen running together (from the run records), p50 and max queue
wait (request submitted -> its run started), how many finished, that each finished exactly once,
and what the killed run's retry reused.

Run: `.venv/bin/python bench/queue.py [--films 20] [--max-runs 2] [--no-kills]` (needs PostgreSQL on
127.0.0.1:5432 with trust auth; it creates and drops its own database).
"""

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# standard library's `queue` (which Dagster imports): take the folder off before importing.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from dagster import AssetKey, AssetRecordsFilter, DagsterInstance, DagsterRunStatus, RunsFilter  # noqa: E402

from dreamreel_assets.sensors import REQUEST_TAG  # noqa: E402
from dreamreel_assets.stores.sqlite import SqliteRequestStore  # noqa: E402
from dreamreel_deploy.topology import Postgres, Topology, kill_tree  # noqa: E402

THEMES = ["A lighthouse keeper finds a map that redraws itself", "Two rival food-truck owners share an elevator",
          "A paper boat sails a flooded street", "A shy dragon opens a bakery in a mountain village"]
GENRES = ["mystery", "comedy", "adventure", "fantasy"]
STYLES = ["noir", "comic", "claymation", "storybook"]
WORKER_PID = re.compile(r"parent process \(pid: (\d+)\)")


def most_at_once(spans: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = peak = 0
    for _, change in edges:
        running += change
        peak = max(peak, running)
    return peak


def kill_a_worker_mid_clips(instance: DagsterInstance, store: SqliteRequestStore, ids: list[str],
                            stack: Topology) -> tuple | None:
    for request_id in ids:
        clips = store.get(request_id).progress.get("clips")  # reported every few seconds: count the clips made
        if not clips or clips.done >= clips.total or not 2 <= stack.clips_made(request_id) < clips.total:
            continue
        for record in instance.get_run_records(RunsFilter(tags={REQUEST_TAG: request_id},
                                                          statuses=[DagsterRunStatus.STARTED])):
            for entry in instance.all_logs(record.dagster_run.run_id):
                found = WORKER_PID.search(entry.message or "")
                if found:
                    kill_tree(int(found.group(1)))
                    return request_id, stack.clips_made(request_id)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--films", type=int, default=20)
    parser.add_argument("--max-runs", type=int, default=2)
    parser.add_argument("--preview-seconds", type=int, default=20)
    parser.add_argument("--no-kills", action="store_true", help="no daemon restart, no killed worker")
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="dreamreel-queue-bench-"))
    postgres = Postgres(name=f"dreamreel_bench_{uuid.uuid4().hex[:8]}")
    postgres.create()
    stack = Topology(root=root, postgres=postgres, max_runs=args.max_runs)
    stack.prepare()
    stack.start()
    try:
        stack.wait_until_up()
        os.environ.update(postgres.environment())  # this process reads the same instance
        instance = DagsterInstance.from_config(str(stack.dagster_home))
        store = SqliteRequestStore(stack.data_dir / "requests.sqlite")
        began = time.time()
        ids = [store.submit({"genre": GENRES[n % 4], "theme": THEMES[n % 4], "style": STYLES[n % 4], "minutes": 5,
                             "preview_seconds": args.preview_seconds, "seed": n}, user_id=f"user-{n % 5}").id
               for n in range(args.films)]
        print(f"queued {len(ids)} previews of {args.preview_seconds} s, at most {args.max_runs} runs at once "
              f"(data in {root})", flush=True)
        daemon_restarted_at, killed = None, None
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            records = [store.get(i) for i in ids]
            ended = sum(r.status in ("done", "failed") for r in records)
            if ended == len(ids):
                break
            if not args.no_kills:
                if daemon_restarted_at is None and ended >= len(ids) // 2:
                    stack.kill("daemon")
                    time.sleep(5)
                    stack.start("daemon")
                    daemon_restarted_at = time.time() - began
                    print(f"  {daemon_restarted_at:6.0f} s  daemon killed and started again ({ended} films ended)",
                          flush=True)
                if killed is None and ended >= 2:
                    killed = kill_a_worker_mid_clips(instance, store, ids, stack)
                    if killed:
                        print(f"  {time.time() - began:6.0f} s  killed the run worker of {killed[0]} "
                              f"at clip {killed[1]}", flush=True)
            time.sleep(0.5)
        wall = time.time() - began

        records = {i: store.get(i) for i in ids}
        runs = {i: instance.get_run_records(RunsFilter(tags={REQUEST_TAG: i})) for i in ids}
        done = [i for i, r in records.items() if r.status == "done"]
        succeeded = {i: sum(r.dagster_run.status == DagsterRunStatus.SUCCESS for r in runs[i]) for i in ids}
        spans = [(r.start_time, r.end_time or time.time()) for rs in runs.values() for r in rs if r.start_time]
        waits = []
        for i in ids:
            starts = [r.start_time for r in runs[i] if r.start_time]
            if starts:
                waits.append(min(starts) - records[i].created_at.timestamp())
        result = {
            "films": len(ids), "finished": len(done), "max_runs": args.max_runs,
            "films_per_hour": round(len(done) / wall * 3600, 1), "wall_s": round(wall, 1),
            "most_runs_at_once": most_at_once(spans),
            "queue_wait_p50_s": round(statistics.median(waits), 1) if waits else None,
            "queue_wait_max_s": round(max(waits), 1) if waits else None,
            # every finished film by one successful run, and no film by two
            "exactly_once": all(succeeded[i] == 1 for i in done) and max(succeeded.values(), default=0) <= 1,
            "runs": sum(len(rs) for rs in runs.values()),
            "daemon_restarted_at_s": round(daemon_restarted_at, 1) if daemon_restarted_at else None,
        }
        if killed:
            request_id, clip = killed
            latest = instance.fetch_materializations(
                AssetRecordsFilter(asset_key=AssetKey("clips"), asset_partitions=[request_id]), limit=1).records
            result["killed_worker"] = {
                "film": request_id, "at_clip": clip, "runs": len(runs[request_id]),
                "retry_reused_clips": latest[0].asset_materialization.metadata["reused"].value if latest else None,
                "film_done": records[request_id].status == "done",
            }
        failed = {i: r.error for i, r in records.items() if r.status != "done"}
        if failed:
            result["not_done"] = failed
        print(json.dumps(result, indent=2))
        print(f"{len(done)}/{len(ids)} finished; {result['films_per_hour']} films/hour; at most "
              f"{result['most_runs_at_once']} runs at once (limit {args.max_runs}); queue wait p50 "
              f"{result['queue_wait_p50_s']} s, max {result['queue_wait_max_s']} s; exactly once: "
              f"{result['exactly_once']}")
        sys.exit(0 if len(done) == len(ids) and result["exactly_once"] else 1)
    finally:
        stack.stop()
        postgres.drop()


if __name__ == "__main__":
    main()
