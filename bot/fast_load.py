"""TED and DIET that load in seconds: their weights are built with one eager step, not a traced one.

Rasa 3.6 builds a loaded model's weights by fitting it on one example
(`rasa.utils.tensorflow.models.RasaModel.load`) before reading the trained weights over them.
Run as a TensorFlow graph, that one step traces the whole training graph: about 28 s for TED and
10 s for DIET on this machine, on every start and every restart after a crash. Run eagerly, the
same step takes well under a second. Prediction is still traced once, at load, and runs as a
graph afterwards, so a turn costs the same.

Use `bot.fast_load.ReflectTEDPolicy` and `bot.fast_load.ReflectDIETClassifier` in config.yml in
place of TEDPolicy and DIETClassifier; training is Rasa's own.
"""

from __future__ import annotations

from typing import Any

from rasa.core.policies.ted_policy import TED, TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class _BuiltEagerly:
    """Mixin for a RasaModel: `load` builds the weights eagerly, then traces prediction."""

    @classmethod
    def load(
        cls,
        model_file_name: str,
        model_data_example: RasaModelData,
        predict_data_example: RasaModelData | None = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        config = kwargs.get("config", {})
        eager = {**kwargs, "config": {**config, RUN_EAGERLY: True}}
        # Rasa's own load, with the weight-building step run eagerly and no prediction yet.
        model: RasaModel = super().load(  # type: ignore[misc]
            model_file_name, model_data_example, None, finetune_mode, *args, **eager
        )
        model.config[RUN_EAGERLY] = bool(config.get(RUN_EAGERLY))
        model.run_eagerly = model.config[RUN_EAGERLY]
        if not finetune_mode and predict_data_example:
            # Traces the prediction graph now, as Rasa's load does, so the first turn is fast.
            model.run_inference(predict_data_example)
        return model


class EagerlyBuiltTED(_BuiltEagerly, TED):
    """TED whose load builds its weights eagerly."""


class EagerlyBuiltDIET(_BuiltEagerly, DIET):
    """DIET whose load builds its weights eagerly."""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class ReflectTEDPolicy(TEDPolicy):
    """Rasa's TEDPolicy, loading in seconds (see the module docstring)."""

    @staticmethod
    def model_class() -> type[TED]:
        return EagerlyBuiltTED


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class ReflectDIETClassifier(DIETClassifier):
    """Rasa's DIETClassifier, loading in seconds (see the module docstring)."""

    @staticmethod
    def model_class() -> type[RasaModel]:
        return EagerlyBuiltDIET
