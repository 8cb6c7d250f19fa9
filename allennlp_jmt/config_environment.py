"""
The environment variables the project's configs read, declared empty when unset.

AllenNLP evaluates Jsonnet configs with every environment variable as an external variable,
and `std.extVar` fails on one that is not set. Importing the plugin (which `allennlp` does
before it reads a config) sets each variable below to "" unless the user set it, so that a
config can fall back to the bundled sample: see ``training_configs/lib/env.libsonnet``.
"""
import os

VARIABLES = {
    "JMT_CONLL2000_DIR": "CoNLL-2000 folder with train.txt and test.txt",
    "JMT_CONLL2002_DIR": "CoNLL-2002 folder with esp.train/testa/testb and ned.train/testa/testb",
    "JMT_CONLL2003_DIR": "CoNLL-2003 folder with eng.train, eng.testa, eng.testb",
    "JMT_PTB_DIR": "Penn Treebank .mrg trees: PTB-3's combined/ folder (sections 00-24)",
    "JMT_UD_EWT_DIR": "UD English EWT folder with en_ewt-ud-{train,dev,test}.conllu",
    "JMT_SICK_DIR": "SICK folder with SICK_train.txt, SICK_trial.txt, SICK_test_annotated.txt",
    "JMT_EMBEDDINGS": "word vectors in text format (e.g. from `allennlp jmt-glove`); none if unset",
    "JMT_EMBEDDINGS_DIM": "the width of the JMT_EMBEDDINGS vectors (default 50, GloVe 6B 50d's)",
    "JMT_GAZETTEER": "gazetteer list file, one 'TYPE phrase' a line (CoNLL-2003 configs with gazetteers)",
    "JMT_CUDA_DEVICE": "GPU index to train on; the CPU if unset",
}


def declare() -> None:
    """Sets every variable of `VARIABLES` that is not set to the empty string."""
    for name in VARIABLES:
        os.environ.setdefault(name, "")
