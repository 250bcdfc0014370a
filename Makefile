# `make run` and `make test` do all the set-up: Python 3.10 venv, locked dependencies, training.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := models/reflect.tar.gz
RASA_INPUTS := config.yml domain.yml $(shell find data -name '*.yml')
# The input rail's learned detector, trained from the rounds in guardrails/data (under a minute).
DETECTOR := models/risk-detector.joblib
DETECTOR_INPUTS := guardrails/data/rounds.yaml $(wildcard guardrails/data/rounds/*.jsonl) \
	guardrails/rules/detector.yaml guardrails/rules/taxonomy.yaml guardrails/detector.py \
	guardrails/train.py guardrails/rounds.py guardrails/artifacts.py
# The output rail's learned reply check, trained from the reply rounds in guardrails/data/replies.
REPLY_CHECK := models/reply-check.joblib
REPLY_CHECK_INPUTS := guardrails/data/replies/rounds.yaml \
	$(wildcard guardrails/data/replies/rounds/*.jsonl) guardrails/rules/reply_model.yaml \
	guardrails/rules/reply_taxonomy.yaml guardrails/reply_model.py guardrails/reply_train.py \
	guardrails/reply_pairs.py guardrails/artifacts.py

export RASA_TELEMETRY_ENABLED := false
# endpoints.yml reads these; `reflect run` sets its own from REFLECT_* settings.
export REFLECT_ACTION_URL ?= http://127.0.0.1:5055/webhook
export REFLECT_TRACKER_DB ?= var/tracker.db

.PHONY: run test bench lint train nlu-cv lock clean

run: $(MODEL) $(DETECTOR) $(REPLY_CHECK)
	$(BIN)/reflect run --demo-client demo

# The NLU cross-validation runs beside pytest, on one core of its own (TensorFlow's threads are
# capped for it), as most tests wait on servers rather than compute; each prints when it ends.
test: $(STAMP) /usr/bin/chromium
	$(BIN)/ruff check .
	$(BIN)/rasa data validate --fail-on-warning --quiet
	$(MAKE) --no-print-directory train
	$(MAKE) --no-print-directory -j2 --output-sync=target checks nlu-cv-one-core

.PHONY: checks nlu-cv-one-core
checks:
	$(BIN)/python -m pytest
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories \
		--fail-on-prediction-errors --out var/results/core

nlu-cv-one-core:
	TF_INTRA_OP_PARALLELISM_THREADS=1 TF_INTER_OP_PARALLELISM_THREADS=1 \
		$(MAKE) --no-print-directory nlu-cv

# 5-fold cross-validation of the NLU data (trains five NLU models); fails below macro-F1 0.90.
nlu-cv: $(STAMP)
	$(BIN)/python scripts/nlu-cv 5 var/results/nlu
	$(BIN)/python scripts/nlu-f1 var/results/nlu/intent_report.json

train: $(MODEL) $(DETECTOR) $(REPLY_CHECK)

# Figures against targets (speed included); reported here, never asserted by timed tests.
bench: $(STAMP) $(MODEL) $(DETECTOR) $(REPLY_CHECK)
	$(BIN)/reflect guard eval
	$(BIN)/reflect guard reply-eval
	$(BIN)/python -m benchmarks.escalation
	$(BIN)/python -m benchmarks.latency
	$(BIN)/python -m benchmarks.scale

lint: $(STAMP)
	$(BIN)/ruff check .

# Debian's Chromium, for the browser tests (Playwright for Python drives it).
/usr/bin/chromium:
	scripts/install-browser

$(STAMP): requirements.lock pyproject.toml scripts/bootstrap-venv scripts/find-python
	scripts/bootstrap-venv $(VENV)
	touch $@

# Rasa retrains only when its data, config or domain changed since the last model. Its risk
# component loads the detector, so the detector is built first.
$(MODEL): $(RASA_INPUTS) | $(STAMP) $(DETECTOR)
	$(BIN)/rasa train --fixed-model-name reflect --out models

$(DETECTOR): $(DETECTOR_INPUTS) | $(STAMP)
	$(BIN)/python -m guardrails.train --out $@

$(REPLY_CHECK): $(REPLY_CHECK_INPUTS) | $(STAMP)
	$(BIN)/python -m guardrails.reply_train --out $@

# Re-resolves requirements.in into the lock file (needs the registry).
lock:
	rm -rf var/lock-venv
	$$(scripts/find-python) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet -r requirements.in
	var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^reflect' > requirements.lock
	rm -rf var/lock-venv

clean:
	rm -rf $(VENV) models var .rasa results
