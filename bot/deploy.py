"""`reflect deploy`: the files that run Reflect at scale, from one table of its processes.

It writes a docker-compose.yml for one host and Kubernetes manifests (a ConfigMap, a Secret,
a migration Job, Deployments, a StatefulSet for Rasa, Services, probes, resource requests and a
NetworkPolicy), all running the one image the Dockerfile builds. No secret is in the image or in
the ConfigMap: the Secret's values are read from the environment when the files are written,
and refused when unset or left at a development default.

Resource requests follow the peak resident memory `make bench` measured (README,
"Performance"), rounded up.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.settings import DEVELOPMENT_SECRET, Settings, SettingsError
from bot.stack import actions_command, entry_command

# The settings that hold passwords or keys: they go in the Secret, never the ConfigMap.
SECRET_SETTINGS = (
    "REFLECT_DATABASE_URL",
    "REFLECT_TRACKER_STORE_URL",
    "REFLECT_REDIS_URL",
    "REFLECT_RABBITMQ_URL",
    "REFLECT_WEBHOOK_SECRET",
    "REFLECT_SECRET_KEY",
    "REFLECT_RASA_API_TOKEN",
)
APP = "reflect"
ENTRY_PORT, RASA_PORT, ACTION_PORT = 8000, 5005, 5055


@dataclass(frozen=True)
class Process:
    """One kind of process: its command in the image, how many run, and what it needs."""

    name: str
    command: tuple[str, ...]
    replicas: int
    memory_mi: int
    cpu_m: int
    port: int | None = None
    ready_path: str | None = None  # answers 200 once it serves


PROCESSES = (
    Process(
        "actions",
        ("python", *actions_command(ACTION_PORT)),
        2,
        256,
        250,
        ACTION_PORT,
        "/health",
    ),
    # A StatefulSet: each server has a stable name, which the entry point's routing lists.
    Process("rasa", ("reflect", "rasa"), 2, 1536, 500, RASA_PORT, "/"),
    Process(
        "entry",
        ("python", *entry_command("0.0.0.0", ENTRY_PORT, 2)),
        2,
        768,
        250,
        ENTRY_PORT,
        "/healthz",
    ),
    Process("worker", ("reflect", "worker"), 2, 128, 50),
    Process("events", ("reflect", "events"), 1, 128, 50),
)
MIGRATE = ("reflect", "db", "upgrade")


def rasa_urls(replicas: int) -> str:
    """The Rasa servers of the StatefulSet, in order, by their stable names."""
    return ",".join(f"http://rasa-{n}.rasa:{RASA_PORT}" for n in range(replicas))


def config(rasa_replicas: int) -> dict[str, str]:
    """What every process reads that is not secret."""
    return {
        "REFLECT_ENVIRONMENT": "production",
        "REFLECT_VAR_DIR": "/tmp/reflect",
        "REFLECT_RASA_URLS": rasa_urls(rasa_replicas),
        "REFLECT_RASA_PORT": str(RASA_PORT),
        "REFLECT_ACTION_SERVER_URL": f"http://actions:{ACTION_PORT}/webhook",
        "REFLECT_HOST": "0.0.0.0",
        "REFLECT_PORT": str(ENTRY_PORT),
    }


def secrets(env: dict[str, str]) -> dict[str, str]:
    """The Secret's values, from `env`. Raises SettingsError naming every one that is unset,
    and for settings a production start would refuse (checked by Settings itself)."""
    missing = [name for name in SECRET_SETTINGS if not env.get(name)]
    if missing:
        raise SettingsError(f"set these before writing the deployment: {', '.join(missing)}")
    if env["REFLECT_WEBHOOK_SECRET"] == DEVELOPMENT_SECRET:
        raise SettingsError("REFLECT_WEBHOOK_SECRET is the development default")
    values = {name: env[name] for name in SECRET_SETTINGS}
    Settings.from_env({**config(2), **values})  # fails here, not at the cluster's first start
    return values


def _labels(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": APP, "app.kubernetes.io/component": name}


def _container(process: Process | None, image: str, command: tuple[str, ...]) -> dict[str, Any]:
    container: dict[str, Any] = {
        "name": process.name if process else "migrate",
        "image": image,
        "command": list(command),
        "envFrom": [{"configMapRef": {"name": APP}}, {"secretRef": {"name": APP}}],
    }
    if process is None:
        return container
    container["resources"] = {
        "requests": {"memory": f"{process.memory_mi}Mi", "cpu": f"{process.cpu_m}m"},
        "limits": {"memory": f"{process.memory_mi * 3 // 2}Mi"},
    }
    if process.port is not None and process.ready_path is not None:
        container["ports"] = [{"containerPort": process.port}]
        probe = {"httpGet": {"path": process.ready_path, "port": process.port}}
        # Rasa loads its model for about half a minute: the start-up probe gives it time.
        container["startupProbe"] = {**probe, "periodSeconds": 5, "failureThreshold": 60}
        container["readinessProbe"] = {**probe, "periodSeconds": 10}
        container["livenessProbe"] = {**probe, "periodSeconds": 20, "failureThreshold": 3}
    return container


def _workload(process: Process, image: str) -> dict[str, Any]:
    kind = "StatefulSet" if process.name == "rasa" else "Deployment"
    spec: dict[str, Any] = {
        "replicas": process.replicas,
        "selector": {"matchLabels": _labels(process.name)},
        "template": {
            "metadata": {"labels": _labels(process.name)},
            "spec": {
                "containers": [_container(process, image, process.command)],
                "securityContext": {"runAsNonRoot": True, "runAsUser": 10001},
            },
        },
    }
    if kind == "StatefulSet":
        spec["serviceName"] = process.name
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": process.name, "labels": _labels(process.name)},
        "spec": spec,
    }


def _service(process: Process) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "selector": _labels(process.name),
        "ports": [{"port": process.port, "targetPort": process.port}],
    }
    if process.name == "rasa":
        spec["clusterIP"] = "None"  # headless: rasa-0.rasa, rasa-1.rasa ...
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": process.name, "labels": _labels(process.name)},
        "spec": spec,
    }


def kubernetes(image: str, secret_values: dict[str, str]) -> list[dict[str, Any]]:
    """Every manifest, in the order to apply them."""
    rasa = next(p for p in PROCESSES if p.name == "rasa")
    manifests: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": APP},
            "data": config(rasa.replicas),
        },
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": APP},
            "type": "Opaque",
            "stringData": secret_values,
        },
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "migrate", "labels": _labels("migrate")},
            "spec": {
                "backoffLimit": 3,
                "template": {
                    "metadata": {"labels": _labels("migrate")},
                    "spec": {
                        "restartPolicy": "OnFailure",
                        "containers": [_container(None, image, MIGRATE)],
                    },
                },
            },
        },
    ]
    for process in PROCESSES:
        manifests.append(_workload(process, image))
        if process.port is not None:
            manifests.append(_service(process))
    # Rasa's REST channel has no sign-in: only the entry point, which runs the rails, may
    # reach it, and only Rasa may reach the action server.
    for target, source in (("rasa", "entry"), ("actions", "rasa")):
        port = next(p.port for p in PROCESSES if p.name == target)
        manifests.append(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": {"name": f"{target}-from-{source}"},
                "spec": {
                    "podSelector": {"matchLabels": _labels(target)},
                    "policyTypes": ["Ingress"],
                    "ingress": [
                        {
                            "from": [{"podSelector": {"matchLabels": _labels(source)}}],
                            "ports": [{"port": port}],
                        }
                    ],
                },
            }
        )
    return manifests


def compose(image: str) -> dict[str, Any]:
    """docker-compose.yml for one host: the servers, a migration that runs first, and each
    process once. Secrets come from the host's environment (an .env file), not the image."""
    rasa = next(p for p in PROCESSES if p.name == "rasa")
    environment = {
        **config(rasa.replicas),
        **{name: f"${{{name}:?set {name}}}" for name in SECRET_SETTINGS},
    }
    servers: dict[str, Any] = {
        "postgres": {
            "image": "postgres:15",
            "environment": {"POSTGRES_PASSWORD": "${PGPASSWORD:?}"},
        },
        "redis": {"image": "redis:7"},
        "rabbitmq": {"image": "rabbitmq:3"},
    }
    services: dict[str, Any] = {
        **servers,
        "migrate": {
            "image": image,
            "command": list(MIGRATE),
            "environment": environment,
            "depends_on": list(servers),
        },
    }
    after = {"migrate": {"condition": "service_completed_successfully"}}
    for process in PROCESSES:
        copies = range(process.replicas) if process.name == "rasa" else [None]
        for n in copies:
            # Rasa's servers are named as the StatefulSet names them, so one setting lists both.
            name = f"rasa-{n}.rasa" if n is not None else process.name
            service: dict[str, Any] = {
                "image": image,
                "command": list(process.command),
                "environment": environment,
                "depends_on": after,
                "restart": "unless-stopped",
            }
            if process.name == "entry":
                service["ports"] = [f"127.0.0.1:{ENTRY_PORT}:{ENTRY_PORT}"]
            services[name] = service
    return {"name": APP, "services": services}


def write(out: Path, image: str, env: dict[str, str]) -> list[Path]:
    """Writes docker-compose.yml and kubernetes.yml into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "docker-compose.yml", out / "kubernetes.yml"]
    written[0].write_text(yaml.safe_dump(compose(image), sort_keys=False))
    written[1].write_text(yaml.safe_dump_all(kubernetes(image, secrets(env)), sort_keys=False))
    written[1].chmod(0o600)  # it holds the Secret's values
    return written
