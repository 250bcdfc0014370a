"""Every response the assistant can send passes the output rail, so none is replaced in use."""

from __future__ import annotations

import pytest
import yaml

from guardrails import check_reply
from tests.conftest import PROJECT_DIR

DOMAIN = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text())
TEXTS = [
    pytest.param(variant["text"], id=f"{name}[{n}]")
    for name, variants in DOMAIN["responses"].items()
    for n, variant in enumerate(variants)
    if "text" in variant
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_response_passes_the_output_rail(text: str) -> None:
    assert check_reply(text).reasons == ()
    assert check_reply(text).verdict == "allow"


@pytest.mark.parametrize("level", ["concern", "crisis"])
def test_the_crisis_support_passes_whatever_the_client_said(level: str) -> None:
    (support,) = DOMAIN["responses"]["utter_crisis_support"]
    assert check_reply(support["text"], level).verdict == "allow"
