import subprocess
import sys
from pathlib import Path

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
                    "music", "final_cut"}
    for key in graph.get_all_asset_keys():
        assert graph.get(key).partitions_def.name == "films"


def test_model_work_shares_the_gpu_pool():
    graph = defs.resolve_asset_graph()
    pools = {key.to_user_string(): graph.get(key).pools for key in graph.get_all_asset_keys()}
    for name in ("script", "character_sheets", "keyframes", "clips"):
        assert pools[name] == {"gpu"}, name
