"""The deployment files `reflect deploy` writes: Kubernetes manifests valid against the
Kubernetes schema, compose and Kubernetes naming the same processes and Rasa servers, and no
secret anywhere but the Secret."""

from __future__ import annotations

from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from bot.cli import main
from bot.deploy import PROCESSES, SECRET_SETTINGS, compose, config, kubernetes, secrets
from bot.settings import Settings, SettingsError
from tests.conftest import PROJECT_DIR

IMAGE = "registry.clinic.example/reflect:1.0"
SECRETS = {
    "REFLECT_DATABASE_URL": "postgresql://reflect:db-pass-1@db.internal:5432/reflect",
    "REFLECT_TRACKER_STORE_URL": "postgresql://rasa:db-pass-2@db.internal:5432/tracker",
    "REFLECT_REDIS_URL": "redis://:redis-pass-3@cache.internal:6379/0",
    "REFLECT_RABBITMQ_URL": "amqp://reflect:mq-pass-4@mq.internal:5672",
    "REFLECT_WEBHOOK_SECRET": "webhook-secret-5-of-a-good-length",
    "REFLECT_SECRET_KEY": "k" * 40,
    "REFLECT_RASA_API_TOKEN": "rasa-token-6",
}


def test_every_manifest_is_valid_kubernetes() -> None:
    manifests = kubernetes(IMAGE, secrets(SECRETS))
    for manifest in manifests:
        kubernetes_validate.validate(manifest, "1.28.0", strict=True)
    kinds = {(m["kind"], m["metadata"]["name"]) for m in manifests}
    assert {("ConfigMap", "reflect"), ("Secret", "reflect"), ("Job", "migrate")} <= kinds
    assert ("StatefulSet", "rasa") in kinds
    for process in PROCESSES:
        assert any(name == process.name for _, name in kinds), process.name


def test_servers_have_probes_and_every_process_asks_for_resources() -> None:
    for manifest in kubernetes(IMAGE, secrets(SECRETS)):
        if manifest["kind"] not in ("Deployment", "StatefulSet"):
            continue
        (container,) = manifest["spec"]["template"]["spec"]["containers"]
        assert container["resources"]["requests"]["memory"].endswith("Mi")
        if "ports" in container:
            assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(container)


def test_no_secret_is_anywhere_but_the_secret(tmp_path: Path) -> None:
    manifests = kubernetes(IMAGE, secrets(SECRETS))
    outside = yaml.safe_dump_all([m for m in manifests if m["kind"] != "Secret"])
    outside += yaml.safe_dump(compose(IMAGE))
    for value in SECRETS.values():
        assert value not in outside
    (secret,) = [m for m in manifests if m["kind"] == "Secret"]
    assert secret["stringData"] == SECRETS
    ignored = (PROJECT_DIR / ".dockerignore").read_text().split()
    assert {"var", ".env", ".venv"} <= set(ignored)


def test_the_settings_the_processes_get_start_in_production() -> None:
    settings = Settings.from_env({**config(2), **SECRETS})
    assert settings.environment == "production"
    assert settings.rasa_servers == ("http://rasa-0.rasa:5005", "http://rasa-1.rasa:5005")
    # compose names its Rasa servers as the StatefulSet does, so one setting serves both.
    assert {"rasa-0.rasa", "rasa-1.rasa"} <= set(compose(IMAGE)["services"])


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"REFLECT_SECRET_KEY": ""}, "REFLECT_SECRET_KEY"),
        ({"REFLECT_WEBHOOK_SECRET": "change-me"}, "development default"),
        ({"REFLECT_SECRET_KEY": "short"}, "at least 32 characters"),
    ],
)
def test_missing_or_weak_secrets_are_refused_before_anything_is_written(
    change: dict[str, str], refused: str
) -> None:
    with pytest.raises(SettingsError, match=refused):
        secrets({**SECRETS, **change})


def test_one_command_writes_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    assert main(["deploy", "--image", IMAGE, "--out", str(tmp_path)]) == 0
    documents = list(yaml.safe_load_all((tmp_path / "kubernetes.yml").read_text()))
    assert len(documents) == len(kubernetes(IMAGE, secrets(SECRETS)))
    assert (tmp_path / "kubernetes.yml").stat().st_mode & 0o077 == 0
    services = yaml.safe_load((tmp_path / "docker-compose.yml").read_text())["services"]
    assert services["migrate"]["command"] == ["reflect", "db", "upgrade"]
    assert set(SECRET_SETTINGS) <= set(services["entry"]["environment"])
