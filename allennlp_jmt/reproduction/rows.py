"""
The registry of every paper row the project can run: what `allennlp jmt-reproduce ROW` trains.

A row is a config under ``training_configs/`` plus overrides (AllenNLP's dotted ``-o`` keys, each
replacing exactly one value), the data variables it needs, the test metrics it is judged on with
the paper's numbers, and its stopping rule: an epoch cap and a plateau (``patience`` epochs without
a better dev score). A row's name is its config path with ``/`` written as ``.`` and without
``.jsonnet``, plus a suffix when it adds overrides (e.g. ``hier_gru_crf.conll2002_nl_paper_settings.adam``).
"""
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

# AllenNLP's three seeds: every row sets them from its seed.
ALLENNLP_SEEDS = ("random_seed", "numpy_seed", "pytorch_seed")
TAGGER_RULE = {"trainer.num_epochs": 40, "trainer.patience": 5}
JMT_RULE = {"trainer.num_epochs": 30, "trainer.patience": 5}
GLOVE = ("JMT_EMBEDDINGS", "JMT_EMBEDDINGS_DIM")
NLTK_WSJ_POS_SPLIT = {
    # The NLTK WSJ sample holds sections 00-01 only: section 00 trains, wsj_0100-0149 is dev, wsj_0150-0199 test.
    "train_data_path.pos": "{JMT_PTB_DIR}/wsj_00*.mrg",
    "validation_data_path.pos": "{JMT_PTB_DIR}/wsj_01[0-4]*.mrg",
    "test_data_path.pos": "{JMT_PTB_DIR}/wsj_01[5-9]*.mrg",
}
# The POS dev and test parts alone, for rows that do not train on POS (single-task rows above it).
NLTK_WSJ_POS_EVALUATION_SPLIT = {key: path for key, path in NLTK_WSJ_POS_SPLIT.items() if not key.startswith("train")}


@dataclass(frozen=True)
class Row:
    """
    One reproducible paper row.

    name : the registry name (and the results file's, ``results/NAME.json``).
    config : the config's path from the repository's root (``training_configs/...``).
    paper : test metric (AllenNLP's name, e.g. ``test_f1``) -> the paper's number, as the paper
        prints it (percent for accuracies and F1); the first is the row's headline metric.
    variables : the environment variables the row needs (data folders, vectors).
    data : the data, split and vectors, in words.
    overrides : dotted config keys -> values; ``{VARIABLE}`` in a string value is that variable.
    seed_keys : config keys that take the row's seed besides AllenNLP's three (sampling seeds).
    note : why the row exists, when it is not a paper row as such (an ablation).
    ablation_of : the row whose ablation table lists this one beside the ``BASE.VARIANT`` rows
        (a row that combines several of its variants).
    target : test metric -> the score the row should reach (the reproduction campaign's target,
        printed as the paper's numbers are): at least it, or at most it for an error (MSE).
    baselines : test metric -> the row this one is compared with on that metric, seed by seed
        (the same seed in both rows: a paired comparison), e.g. a joint model against its task alone.
    """

    name: str
    config: str
    paper: Dict[str, Optional[float]]
    variables: Tuple[str, ...]
    data: str
    overrides: Dict[str, Any] = field(default_factory=dict)
    seed_keys: Tuple[str, ...] = ()
    note: str = ""
    ablation_of: Optional[str] = None
    target: Dict[str, float] = field(default_factory=dict)
    baselines: Dict[str, str] = field(default_factory=dict)

    @property
    def metric(self) -> str:
        return next(iter(self.paper))

    def all_overrides(self, seed: int, environment: Dict[str, str]) -> Dict[str, Any]:
        """The row's overrides with `seed` in every seed key and variables filled in from `environment`."""
        filled = {key: value.format(**environment) if isinstance(value, str) else value
                  for key, value in self.overrides.items()}
        return {**filled, **{key: seed for key in ALLENNLP_SEEDS + self.seed_keys}}


def _tagger(name: str, config: str, paper: Dict[str, Optional[float]], variables: Tuple[str, ...], data: str,
            overrides: Optional[Dict[str, Any]] = None, note: str = "", seed_keys: Tuple[str, ...] = (),
            ablation_of: Optional[str] = None, target: Optional[Dict[str, float]] = None,
            baselines: Optional[Dict[str, str]] = None) -> Row:
    return Row(name, config, paper, variables, data, {**TAGGER_RULE, **(overrides or {})}, seed_keys, note, ablation_of,
               target or {}, baselines or {})


_DUTCH = "CoNLL-2002 Dutch (ned.train / testa / testb), no vectors"
_SPANISH = "CoNLL-2002 Spanish (esp.train / testa / testb), no vectors"
# The Dutch ablation: one factor at a time from Yang et al.'s settings (same seed and rule). The
# factors that helped on dev became the `from_scratch` recipe of conll2002_nl.jsonnet, whose row is
# the ablation's "all together" line (training_configs/lib/hier_gru_crf.libsonnet says why).
_DUTCH_PAPER_SETTINGS = "hier_gru_crf.conll2002_nl_paper_settings"
_DUTCH_ABLATION = {
    "no_lowercase": ({"dataset_reader.token_indexers.tokens.lowercase_tokens": False},
                     "ablation: words keep their case (Yang et al.'s code lowercases English only)"),
    "dropout0.5": ({"model.dropout": 0.5}, "ablation: dropout 0.5 on the word representation and the encoder output"),
    "train_vocabulary": ({"datasets_for_vocab_creation": ["train"], "model.word_dropout": 0.25},
                         "ablation: words from train only; the unknown word learnt by word dropout 0.25"),
    "adam": ({"trainer.optimizer": {"type": "adam", "lr": 0.001}}, "ablation: Adam 1e-3 instead of AdaGrad 0.01"),
    "sgd": ({"trainer.optimizer": {"type": "sgd", "lr": 0.015},
             "trainer.learning_rate_scheduler": {"type": "jmt_inverse_time_decay", "decay": 0.05},
             "trainer.grad_clipping": 5.0},
            "ablation: SGD 0.015 decayed as lr / (1 + 0.05 epoch), clipping 5 (NCRF++)"),
}

_ROWS: List[Row] = [
    _tagger("hier_gru_crf.conll2000", "training_configs/hier_gru_crf/conll2000.jsonnet", {"test_f1": 94.66},
            ("JMT_CONLL2000_DIR",) + GLOVE, "CoNLL-2000 (train minus a seeded fifth as dev / test), GloVe 6B 50d",
            target={"test_f1": 94.0}),
    _tagger("hier_gru_crf.conll2002_nl", "training_configs/hier_gru_crf/conll2002_nl.jsonnet", {"test_f1": 85.00},
            ("JMT_CONLL2002_DIR",), _DUTCH, ablation_of=_DUTCH_PAPER_SETTINGS, target={"test_f1": 77.05},
            note="the factors of the Dutch ablation that helped, together (the default recipe without vectors); "
                 "paper with Polyglot vectors; CoNLL-2002 best system 77.05"),
    _tagger(_DUTCH_PAPER_SETTINGS, "training_configs/hier_gru_crf/conll2002_nl_paper_settings.jsonnet",
            {"test_f1": 85.00}, ("JMT_CONLL2002_DIR",), _DUTCH,
            note="Yang et al.'s settings without their Polyglot vectors: the base of the Dutch ablation"),
    *[
        _tagger(f"{_DUTCH_PAPER_SETTINGS}.{suffix}", "training_configs/hier_gru_crf/conll2002_nl_paper_settings.jsonnet",
                {"test_f1": 85.00}, ("JMT_CONLL2002_DIR",), _DUTCH, overrides, note)
        for suffix, (overrides, note) in _DUTCH_ABLATION.items()
    ],
    _tagger("hier_gru_crf.conll2002_es", "training_configs/hier_gru_crf/conll2002_es.jsonnet", {"test_f1": 84.69},
            ("JMT_CONLL2002_DIR",), _SPANISH, note="paper with Polyglot vectors; CoNLL-2002 best system 81.39",
            target={"test_f1": 81.39}),
    _tagger("hier_gru_crf.conll2003", "training_configs/hier_gru_crf/conll2003.jsonnet", {"test_f1": None},
            ("JMT_CONLL2003_DIR",) + GLOVE, "CoNLL-2003 English (eng.train / testa / testb), GloVe 6B 50d",
            note="no paper row without gazetteers"),
    _tagger("hier_gru_crf.conll2003_gazetteer", "training_configs/hier_gru_crf/conll2003_gazetteer.jsonnet", {"test_f1": 90.94},
            ("JMT_CONLL2003_DIR", "JMT_GAZETTEER") + GLOVE,
            "CoNLL-2003 English (eng.train / testa / testb), gazetteers, GloVe 6B 50d"),
    _tagger("hier_gru_crf.ptb_pos", "training_configs/hier_gru_crf/ptb_pos.jsonnet", {"test_accuracy": 97.55},
            ("JMT_PTB_DIR",) + GLOVE, "PTB-3 WSJ sections 00-18 / 19-21 / 22-24, GloVe 6B 50d"),
    *[
        _tagger(f"joint.{language}_r{rate}_alone", f"training_configs/joint/{language}_r{rate}_alone.jsonnet",
                {f"test_{language}_ner_f1": None}, ("JMT_CONLL2002_DIR",),
                f"CoNLL-2002 {name} at labelling rate {rate}, no vectors",
                seed_keys=(f"dataset_reader.readers.{language}_ner.labelling_seed",),
                note="Table 8 baseline: the target alone")
        for language, name in (("nl", "Dutch"), ("es", "Spanish")) for rate in ("0.1", "0.3")
    ],
    *[
        _tagger(f"joint.crosslingual_{language}_r{rate}_with_{other}",
                f"training_configs/joint/crosslingual_{language}_r{rate}_with_{other}.jsonnet",
                {f"test_{language}_ner_f1": None}, ("JMT_CONLL2002_DIR",),
                f"CoNLL-2002 {name} at labelling rate {rate} with all of the other language, no vectors",
                seed_keys=(f"dataset_reader.readers.{language}_ner.labelling_seed",),
                note="Table 8: jointly with the other language, characters shared",
                baselines={f"test_{language}_ner_f1": f"joint.{language}_r{rate}_alone"})
        for language, other, name in (("nl", "es", "Dutch"), ("es", "nl", "Spanish")) for rate in ("0.1", "0.3")
    ],
    Row("jmt", "training_configs/jmt.jsonnet",
        {"test_dependencies_las": 92.90, "test_pos_accuracy": 97.55, "test_chunk_f1": 95.77,
         "test_dependencies_uas": 94.67, "test_relatedness_mse": 0.233, "test_entailment_accuracy": 86.2},
        (), "the bundled sample (fixtures/data/jmt), no vectors", dict(JMT_RULE, **{"trainer.num_epochs": 6}),
        note="a smoke row: minutes on a CPU, not comparable with the paper"),
    Row("jmt_full", "training_configs/jmt_full.jsonnet",
        {"test_dependencies_las": 92.90, "test_pos_accuracy": 97.55, "test_chunk_f1": 95.77,
         "test_dependencies_uas": 94.67, "test_relatedness_mse": 0.233, "test_entailment_accuracy": 86.2},
        ("JMT_PTB_DIR", "JMT_CONLL2000_DIR", "JMT_UD_EWT_DIR", "JMT_SICK_DIR") + GLOVE,
        "NLTK WSJ sample (POS: section 00 / wsj_0100-0149 / wsj_0150-0199), CoNLL-2000, UD English EWT, "
        "SICK; GloVe 6B 50d", {**JMT_RULE, **NLTK_WSJ_POS_SPLIT},
        note="JMT_PTB_DIR is NLTK's WSJ sample (sections 00-01), not PTB-3",
        target={"test_pos_accuracy": 95.0, "test_chunk_f1": 93.5},
        baselines={"test_pos_accuracy": "jmt_single_task.pos", "test_chunk_f1": "jmt_single_task.chunk",
                   "test_dependencies_las": "jmt_single_task.dependencies",
                   "test_dependencies_uas": "jmt_single_task.dependencies"}),
    *[
        Row(f"jmt_single_task.{task}", f"training_configs/jmt_single_task/{task}.jsonnet", paper,
            ("JMT_PTB_DIR", "JMT_CONLL2000_DIR", "JMT_UD_EWT_DIR") + GLOVE,
            "as jmt_full, the task's own data only", {**JMT_RULE, **split},
            note="the single-task baseline of jmt_full: the stack up to the task, trained on its loss alone")
        for task, paper, split in (
            ("pos", {"test_pos_accuracy": 97.45}, NLTK_WSJ_POS_SPLIT),
            ("chunk", {"test_chunk_f1": 95.02}, NLTK_WSJ_POS_EVALUATION_SPLIT),
            ("dependencies", {"test_dependencies_las": 91.42, "test_dependencies_uas": 93.35},
             NLTK_WSJ_POS_EVALUATION_SPLIT),
        )
    ],
]
ROWS: Dict[str, Row] = {row.name: row for row in _ROWS}
assert len(ROWS) == len(_ROWS), "two rows share a name"
