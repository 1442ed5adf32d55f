import subprocess
import sys
from pathlib import Path

from dagster import AssetKey
from dreamreel_assets.definitions import defs

REPO = Path(__file__).resolve().parents[1]


def test_dagster_validates_the_code_location(tmp_path):
    dagster = Path(sys.executable).parent / "dagster"
    done = subprocess.run([str(dagster), "definitions", "validate", "-w", "workspace.yaml"], cwd=REPO,
                          capture_output=True, text=True, env={"DAGSTER_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_graph_has_the_film_assets_partitioned_by_film():
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == {"film_request", "script", "character_sheets", "keyframes", "clips", "narration",
                    "music", "final_cut", "published_cut"}
    for key in graph.get_all_asset_keys():
        assert graph.get(key).partitions_def.name == "films"


def test_the_final_cuts_checks_block_the_film_people_see():
    from dreamreel_assets.checks import final_cut_checks

    specs = [spec for check in final_cut_checks for spec in check.check_specs]
    assert {spec.name for spec in specs} == {"duration_within_request", "audio_video_in_sync", "loudness_on_target",
                                             "no_clipping", "every_scene_present", "no_black_shots"}
    assert all(spec.blocking and spec.asset_key.to_user_string() == "final_cut" for spec in specs)
    upstream = defs.resolve_asset_graph().get(AssetKey("published_cut")).parent_keys
    assert upstream == {AssetKey("final_cut")}


def test_model_work_shares_the_gpu_pool():
    graph = defs.resolve_asset_graph()
    pools = {key.to_user_string(): graph.get(key).pools for key in graph.get_all_asset_keys()}
    for name in ("script", "character_sheets", "keyframes", "clips"):
        assert pools[name] == {"gpu"}, name


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_dagster_dev_serves_the_asset_graph(tmp_path):
    import json
    import signal
    import time
    import urllib.request

    port = free_port()
    dagster = Path(sys.executable).parent / "dagster"
    server = subprocess.Popen(
        [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)], cwd=REPO,
        env={"DAGSTER_HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    query = json.dumps({"query": "{ assetNodes { assetKey { path } partitionDefinition { name } } }"}).encode()
    try:
        deadline, nodes = time.monotonic() + 120, None
        while time.monotonic() < deadline and nodes is None:
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=query,
                                                 headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    nodes = json.load(response)["data"]["assetNodes"]
            except (OSError, KeyError, TypeError):
                time.sleep(1)
        assert nodes, "dagster dev did not serve the graph within 2 minutes"
        assert {n["assetKey"]["path"][0] for n in nodes} >= {"script", "keyframes", "clips", "final_cut"}
        assert {n["partitionDefinition"]["name"] for n in nodes} == {"films"}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
