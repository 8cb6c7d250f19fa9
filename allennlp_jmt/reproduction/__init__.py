"""Paper rows run with one command (`allennlp jmt-reproduce`): the registry, the runner and the report."""
