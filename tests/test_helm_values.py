"""docker/helm/values.yaml against the dagster/dagster chart, without the chart or a network.

docker/helm/chart-keys.yaml is our summary of the keys and types the chart accepts (its header
says which chart commit it was read from); every key set in values.yaml must be there with the
right type. Then what DreamReel needs from the values: the code location's module, secrets only
by reference to Kubernetes Secrets, the media volume on the code server and on run pods, and a
GPU run limit keyed on the tag the GPU job carries. With DREAMREEL_HELM_CHART (an unpacked chart)
and `helm` on PATH, `helm template` also renders the values against the real chart.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
HELM = REPO / "docker" / "helm"

TYPES = {"str", "int", "bool", "null", "object", "list", "any", "map", "map[str]", "list[str]", "list[map]"}
ENUM = re.compile(r"enum\(([^()|]+)\)")


def load_values() -> dict:
    """A fresh copy without YAML aliases (anchored lists are shared objects once parsed)."""
    return json.loads(json.dumps(yaml.safe_load((HELM / "values.yaml").read_text())))


def chart_keys() -> dict:
    return yaml.safe_load((HELM / "chart-keys.yaml").read_text())


def type_of(value) -> str:
    return {dict: "object", list: "list", str: "str", bool: "bool", int: "int", type(None): "null"}.get(
        type(value), type(value).__name__)


def matches(value, token: str) -> bool:
    if enum := ENUM.fullmatch(token):
        return isinstance(value, str) and value in {option.strip() for option in enum.group(1).split(",")}
    return {
        "any": True,
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "null": value is None,
        "object": isinstance(value, dict),
        "map": isinstance(value, dict),
        "map[str]": isinstance(value, dict) and all(isinstance(v, str) for v in value.values()),
        "list": isinstance(value, list),
        "list[str]": isinstance(value, list) and all(isinstance(v, str) for v in value),
        "list[map]": isinstance(value, list) and all(isinstance(v, dict) for v in value),
    }[token]


def check(value, node, path: str = "") -> list[str]:
    """Every way `value` departs from the description `node`, each naming its key path."""
    spec = node if isinstance(node, str) else node.get("_type", "object")
    matched = next((token for token in spec.split("|") if matches(value, token)), None)
    if matched is None:
        return [f"{path or '<root>'}: expected {spec}, got {type_of(value)} {value!r:.60}"]
    if isinstance(node, str):
        return []
    if matched == "object":
        errors = [f"{path}.{key}: required" for key in node.get("_required", []) if key not in value]
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str) or key.startswith("_") or key not in node:
                errors.append(f"{child_path}: not a key the chart accepts here")
            else:
                errors += check(child, node[key], child_path)
        return errors
    if matched == "list":
        return [error for i, item in enumerate(value) for error in check(item, node["_items"], f"{path}[{i}]")]
    return []


def test_every_key_is_one_the_chart_accepts_with_its_type():
    errors = check(load_values(), chart_keys()["values"])
    assert not errors, "values.yaml departs from the chart:\n" + "\n".join(errors)


def set_path(values: dict, path: str, value):
    *parents, last = path.split(".")
    for key in parents:
        values = values[int(key)] if isinstance(values, list) else values[key]
    values[last] = value


@pytest.mark.parametrize("path,value,reported", [
    ("dagsterDaemon.runMonitoringg", {"enabled": True}, "dagsterDaemon.runMonitoringg: not a key"),
    ("dagsterDaemon.runMonitoring.startTimeoutSeconds", "600",
     "dagsterDaemon.runMonitoring.startTimeoutSeconds: expected int, got str"),
    ("runLauncher.config.k8sRunLauncher.envSecrets", ["dreamreel-secrets"],
     "runLauncher.config.k8sRunLauncher.envSecrets[0]: expected object, got str"),
    ("dagster-user-deployments.deployments.0.nodeSelector", {"nvidia.com/gpu.present": True},
     "dagster-user-deployments.deployments[0].nodeSelector: expected map[str]|null"),
    ("runLauncher.type", "K8sLauncher", "runLauncher.type: expected enum("),
    ("telemetry", False, "telemetry: expected object, got bool"),
])
def test_the_check_reports_bogus_keys_and_wrong_types(path, value, reported):
    values = load_values()
    set_path(values, path, value)
    errors = check(values, chart_keys()["values"])
    assert any(error.startswith(reported) for error in errors), errors


def test_the_check_reports_a_missing_required_key_in_a_list_item():
    values = load_values()
    del values["dagster-user-deployments"]["deployments"][0]["port"]
    assert "dagster-user-deployments.deployments[0].port: required" in check(values, chart_keys()["values"])


def test_the_description_is_well_formed():
    def walk(node, path):
        if isinstance(node, str):
            for token in node.split("|"):
                assert token in TYPES or ENUM.fullmatch(token), f"{path}: unknown type {token!r}"
            return
        types = node.get("_type", "object").split("|")
        walk(node.get("_type", "object"), path)
        children = {key: child for key, child in node.items() if not key.startswith("_")}
        assert set(node.get("_required", [])) <= set(children), f"{path}: _required names a key it lacks"
        assert ("list" in types) == ("_items" in node), f"{path}: _items goes with (and only with) list"
        assert "object" in types or not children, f"{path}: keys on a node that is not an object"
        if "_items" in node:
            walk(node["_items"], f"{path}[]")
        for key, child in children.items():
            walk(child, f"{path}.{key}")

    keys = chart_keys()
    assert re.search(r"commit [0-9a-f]{40}", (HELM / "chart-keys.yaml").read_text())
    walk(keys["values"], "values")


# --- What DreamReel needs from the values -------------------------------------------------------

def deployment(values: dict) -> dict:
    deployments = values["dagster-user-deployments"]["deployments"]
    assert [d["name"] for d in deployments] == ["dreamreel"]
    return deployments[0]


def k8s_launcher(values: dict) -> dict:
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    return values["runLauncher"]["config"]["k8sRunLauncher"]


def module_of(args: list[str]) -> str | None:
    for flag, value in zip(args, args[1:]):
        if flag in ("-m", "--module-name"):
            return value
    return next((arg.split("=", 1)[1] for arg in args if arg.startswith("--module-name=")), None)


def test_the_user_deployment_serves_the_dreamreel_module_and_configures_its_runs():
    values = load_values()
    code = deployment(values)
    args = code.get("codeServerArgs") or code.get("dagsterApiGrpcArgs")
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert module_of(args) == "dreamreel_assets.definitions" == pyproject["tool"]["dagster"]["module_name"]
    assert code["image"]["repository"] == "dreamreel/code" and isinstance(code["image"]["tag"], str)
    assert code["port"] == 3030
    assert code["includeConfigInLaunchedRuns"]["enabled"] is True
    assert values["dagster-user-deployments"]["enabled"] is True


def env_of(code: dict) -> dict[str, str]:
    return {item["name"]: item["value"] for item in code["env"] if "value" in item}


def launcher_env(launcher: dict) -> dict[str, str]:
    return dict(item.split("=", 1) for item in launcher["envVars"])


def mount_of(container: dict, volume_name: str) -> dict:
    return next(m for m in container["volumeMounts"] if m["name"] == volume_name)


@pytest.mark.parametrize("part", ["user deployment", "run launcher"])
def test_the_media_volume_and_firebase_file_are_mounted(part):
    values = load_values()
    container = deployment(values) if part == "user deployment" else k8s_launcher(values)
    env = env_of(container) if part == "user deployment" else launcher_env(container)
    volumes = {v["name"]: v for v in container["volumes"]}

    media = next(name for name, v in volumes.items()
                 if v.get("persistentVolumeClaim", {}).get("claimName") == "dreamreel-media")
    assert mount_of(container, media)["mountPath"] == "/data" == env["DREAMREEL_DATA_DIR"]

    firebase = next(name for name, v in volumes.items()
                    if v.get("secret", {}).get("secretName") == "dreamreel-firebase")
    mount = mount_of(container, firebase)
    assert mount.get("readOnly") is True
    credentials = Path(env["GOOGLE_APPLICATION_CREDENTIALS"])
    assert credentials.parent == Path(mount["mountPath"])
    items = volumes[firebase]["secret"].get("items")
    assert items is None or credentials.name in {item["path"] for item in items}


def test_run_pods_get_the_same_setup_as_the_code_server():
    """Dagster merges the launcher's config with the code location's; identical entries collapse
    into one, while differing ones would put two values of a variable (or two volumes) on the pod."""
    values = load_values()
    code, launcher = deployment(values), k8s_launcher(values)
    assert launcher["envSecrets"] == code["envSecrets"]
    assert launcher["volumes"] == code["volumes"]
    assert launcher["volumeMounts"] == code["volumeMounts"]
    assert launcher_env(launcher) == env_of(code)


def test_every_secret_comes_from_a_kubernetes_secret():
    values = load_values()
    reference = {"name": "dreamreel-secrets"}
    assert reference in deployment(values)["envSecrets"]
    assert reference in k8s_launcher(values)["envSecrets"]
    assert reference in values["dagsterDaemon"]["envSecrets"]
    assert reference in values["dagsterWebserver"]["envSecrets"]
    # Postgres: external, its password only in the chart's expected Secret, which we provide.
    assert values["global"]["postgresqlSecretName"] == "dagster-postgresql-secret"
    assert values["generatePostgresqlPasswordSecret"] is False
    assert values["postgresql"]["enabled"] is False and values["postgresql"]["postgresqlHost"]
    assert not secret_findings(values)


SECRET_KEY = re.compile(r"(password|passwd|token|api_?key|secret_?key|private_?key)$", re.IGNORECASE)
SECRET_NAME = re.compile(r"(PASSWORD|PASSWD|TOKEN|API_KEY|SECRET|PRIVATE_KEY)", re.IGNORECASE)
SECRET_TEXT = [
    re.compile(r"sk-[A-Za-z0-9_-]{16,}"),  # OpenAI-style keys
    re.compile(r"AIza[0-9A-Za-z_-]{30,}"),  # Google API keys
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----|\"private_key\""),  # service-account JSON
    re.compile(r"://[^/\s:@]+:[^/\s@]+@"),  # credentials in a URL
    re.compile(r"^(?=.*\d)(?=.*[a-z])(?=.*[A-Z])[A-Za-z0-9+/_=-]{32,}$"),  # a long random token
]


def secret_findings(node, path: str = "") -> list[str]:
    """Values that look like secrets: a password-like key with a value, a secret-named variable
    given a literal value, or text shaped like a key. References (Secret names, {name: ...}) pass."""
    found = []
    if isinstance(node, dict):
        name = node.get("name")
        if isinstance(name, str) and SECRET_NAME.search(name) and node.get("value"):
            found.append(f"{path}: variable {name} has a literal value")
        for key, value in node.items():
            child = f"{path}.{key}" if path else str(key)
            if SECRET_KEY.search(str(key)) and isinstance(value, (str, int)) and value != "":
                found.append(f"{child}: a secret-like key with a value")
            found += secret_findings(value, child)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found += secret_findings(item, f"{path}[{i}]")
    elif isinstance(node, str):
        variable, _, literal = node.partition("=")
        if literal and SECRET_NAME.search(variable) and re.fullmatch(r"[A-Z0-9_]+", variable):
            found.append(f"{path}: variable {variable} has a literal value")
        found += [f"{path}: looks like a secret" for pattern in SECRET_TEXT if pattern.search(node)]
    return found


@pytest.mark.parametrize("path,value", [
    ("postgresql.postgresqlPassword", "hunter2"),
    ("dagster-user-deployments.deployments.0.env", [{"name": "DREAMREEL_LLM_API_KEY", "value": "not-a-ref"}]),
    ("runLauncher.config.k8sRunLauncher.envVars", ["ELEVENLABS_API_KEY=abc123"]),
    ("dagsterWebserver.env", [{"name": "X", "value": "sk-" + "a1B2" * 8}]),
    ("postgresql.postgresqlParams", {"sslrootcert": "-----BEGIN PRIVATE KEY-----"}),
    ("postgresql.postgresqlHost", "Zk3pQ9vT2mXw8LrB7nYc4HdF6sJa1GeU"),
])
def test_secret_detection_flags_literal_secrets(path, value):
    values = load_values()
    set_path(values, path, value)
    assert secret_findings(values)


# --- The run queue, run monitoring and retries, and the GPU job's tags ---------------------------

def queue(values: dict) -> dict:
    coordinator = values["dagsterDaemon"]["runCoordinator"]
    assert coordinator["enabled"] is True and coordinator["type"] == "QueuedRunCoordinator"
    return coordinator["config"]["queuedRunCoordinator"]


def gpu_limit(values: dict, key: str, value: str) -> int:
    limits = [item for item in queue(values)["tagConcurrencyLimits"] if item["key"] == key]
    assert [item.get("value") for item in limits] == [value], limits
    return limits[0]["limit"]


def test_the_daemon_queues_monitors_and_retries_runs():
    values = load_values()
    daemon = values["dagsterDaemon"]
    assert gpu_limit(values, "dreamreel/profile", "gpu") >= 1
    assert queue(values)["maxConcurrentRuns"] >= gpu_limit(values, "dreamreel/profile", "gpu")
    monitoring = daemon["runMonitoring"]
    assert monitoring["enabled"] is True
    assert monitoring["startTimeoutSeconds"] >= 600, "GPU image pulls and node scale-up take minutes"
    assert monitoring["pollIntervalSeconds"] > 0
    assert daemon["runRetries"] == {"enabled": True, "maxRetries": 2, "retryOnAssetOrOpFailure": False}
    assert values["telemetry"]["enabled"] is False


def test_pools_and_the_queue_do_not_clash_in_the_chart():
    """The chart refuses run limits set both in `concurrency.runs` and in the queued run
    coordinator; the `gpu` pool's default limit is sized with the GPU run limit."""
    values = load_values()
    concurrency = values["concurrency"]
    assert concurrency["enabled"] is True
    runs = concurrency.get("runs", {})
    assert runs.get("maxConcurrentRuns") is None or queue(values).get("maxConcurrentRuns") is None
    assert not runs.get("tagConcurrencyLimits") or not queue(values).get("tagConcurrencyLimits")
    assert concurrency["pools"]["defaultLimit"] == gpu_limit(values, "dreamreel/profile", "gpu")


def tag(tags: dict, key: str):
    value = tags[key]
    return json.loads(value) if isinstance(value, str) and value.startswith("{") else value


def test_gpu_job_tags_ask_for_a_gpu_node_and_match_the_queue_limit():
    from dreamreel_assets.definitions import defs

    tags = defs.resolve_job_def("make_film_gpu").run_tags  # the tags its runs carry
    k8s = tag(tags, "dagster-k8s/config")
    assert int(k8s["container_config"]["resources"]["limits"]["nvidia.com/gpu"]) >= 1
    selector = k8s["pod_spec_config"]["node_selector"]
    assert selector and all(isinstance(v, str) for v in selector.values())
    assert tag(tags, "dreamreel/profile") == "gpu"
    assert gpu_limit(load_values(), "dreamreel/profile", tag(tags, "dreamreel/profile")) >= 1

