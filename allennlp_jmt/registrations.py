"""What the plugin registers with AllenNLP, for the install check and the tests."""
from typing import Dict, List

from allennlp_jmt.upstream import registry

PREFIXES = ("jmt_", "jmt-")  # subcommands are spelled with hyphens
PROJECT_NAME = "jmt"  # the JMT model and its predictor carry the project's own name (allennlp-models has none)
# Upstream names the plugin deliberately re-registers with a fixed class (see `allennlp_jmt.compat`).
REPLACED_UPSTREAM = {("LearningRateScheduler", "reduce_on_plateau")}


def plugin_registrations() -> Dict[str, List[str]]:
    """``{base class name: sorted registered names}`` of every class that `allennlp_jmt` registered."""
    found: Dict[str, List[str]] = {}
    for base, entries in registry().items():
        for name, (cls, _) in entries.items():
            if cls.__module__.startswith("allennlp_jmt"):
                found.setdefault(base.__name__, []).append(name)
    return {base: sorted(names) for base, names in sorted(found.items())}


def unprefixed_registrations() -> List[str]:
    """``"Base/name"`` of every plugin registration that lacks the prefix and replaces nothing on purpose."""
    return [
        f"{base}/{name}"
        for base, names in plugin_registrations().items()
        for name in names
        if not (name.startswith(PREFIXES) or name == PROJECT_NAME) and (base, name) not in REPLACED_UPSTREAM
    ]
