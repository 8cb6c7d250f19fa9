"""The shared part of Yang et al. (2016)'s multi-task and cross-lingual joint training."""
from typing import Dict, List, Optional

import torch
from allennlp.common.checks import ConfigurationError
from allennlp.data import TextFieldTensors, Vocabulary
from allennlp.modules import Backbone, Seq2SeqEncoder
from allennlp.modules.token_embedders import TokenEmbedder
from allennlp.nn import util

from allennlp_jmt.modules.word_dropout import WordDropout


@Backbone.register("jmt_hier_gru")
class HierGruBackbone(Backbone):
    """
    Everything of Yang et al. (2016)'s hierarchical GRU-CRF below the tag scores, for several
    tasks at once in AllenNLP's ``multitask`` model, with ``jmt_crf_tagger`` heads on top. What
    is shared between tasks is decided by `task_groups`: the tasks are put in groups (in the
    paper, one group per language), and

    - the character-level word encoder (character embedding and character BiGRU) is one
      module, shared by every task of every group;
    - each group has its own word embedding and word-level encoder, shared by the tasks of
      that group.

    Yang et al.'s multi-task setting (one language, several tasks: everything below the CRF
    shared, word embeddings included) is one group holding every task; their cross-lingual
    setting (one task, several languages: only the characters shared) is one group per
    language. Give each group's words their own vocabulary namespace (the word indexer's
    ``namespace``, the embedding's ``vocab_namespace``), so that each language's embedding
    holds its own words.

    A word is represented as in ``jmt_hier_gru_crf``: [character encoding; word embedding]
    (AllenNLP's `BasicTextFieldEmbedder` concatenates its embedders in this order too).
    Batches may mix groups (each row is encoded by its task's group); with one task per batch
    (``homogeneous_roundrobin``, ``jmt_alternating``) each batch runs one group only.

    Outputs, for the heads: ``encoded_tokens`` (batch, length, encoder output width) and
    ``encoded_tokens_mask``.

    Registered as a `Backbone` with name "jmt_hier_gru".

    # Parameters

    encoders : `Dict[str, Seq2SeqEncoder]`
        The word-level encoder of each group, keyed by group name (paper: a ``gru``, 300 units,
        2 layers, bidirectional). All must have the same output width.
    word_embedders : `Dict[str, TokenEmbedder]`, optional (default=`None`: no word embeddings)
        The word embedding of each group (the same groups as `encoders`), applied to the
        indexer output under `word_key`.
    character_encoder : `TokenEmbedder`, optional (default=`None`: no characters)
        The character-level word encoder shared by every group (``jmt_character_encoding``),
        applied to the indexer output under `character_key`.
    task_groups : `Dict[str, str]`, optional (default=`None`)
        The group of each task. May be left out when there is a single group: every task is
        then in it.
    word_key : `str`, optional (default=`"tokens"`)
        The token indexer name of the words.
    character_key : `str`, optional (default=`"token_characters"`)
        The token indexer name of the characters.
    dropout : `float`, optional (default=`0.0`)
        Dropout on the word representation and the encoder output (the paper uses none).
    word_dropout : `float`, optional (default=`0.0`)
        The rate at which training words become the unknown word of their group's namespace
        (`WordDropout`), which so learns an embedding for words outside the vocabulary.
    word_namespaces : `Dict[str, str]`, optional (default=`None`: ``"tokens"`` for every group)
        Each group's word namespace, whose unknown word `word_dropout` uses.
    vocab : `Vocabulary`, optional
        Given by AllenNLP; needed for `word_dropout`.
    """

    def __init__(
        self,
        encoders: Dict[str, Seq2SeqEncoder],
        word_embedders: Optional[Dict[str, TokenEmbedder]] = None,
        character_encoder: Optional[TokenEmbedder] = None,
        task_groups: Optional[Dict[str, str]] = None,
        word_key: str = "tokens",
        character_key: str = "token_characters",
        dropout: float = 0.0,
        word_dropout: float = 0.0,
        word_namespaces: Optional[Dict[str, str]] = None,
        vocab: Optional[Vocabulary] = None,
    ) -> None:
        super().__init__()
        if word_embedders is None and character_encoder is None:
            raise ConfigurationError("jmt_hier_gru needs word_embedders, a character_encoder, or both")
        if word_embedders is not None and set(word_embedders) != set(encoders):
            raise ConfigurationError(f"word_embedders name the groups {sorted(word_embedders)}, "
                                     f"the encoders {sorted(encoders)}: give each group both")
        if task_groups is None and len(encoders) > 1:
            raise ConfigurationError(f"with several groups ({sorted(encoders)}), task_groups must say "
                                     "which task is in which")
        unknown = sorted(set((task_groups or {}).values()) - set(encoders))
        if unknown:
            raise ConfigurationError(f"task_groups name the groups {unknown}, which have no encoder")
        widths = {group: encoder.get_output_dim() for group, encoder in encoders.items()}
        if len(set(widths.values())) > 1:
            raise ConfigurationError(f"every group's encoder must have the same output width, not {widths}")
        self.encoders = torch.nn.ModuleDict(encoders)
        self.word_embedders = torch.nn.ModuleDict(word_embedders) if word_embedders is not None else None
        self.character_encoder = character_encoder
        self.task_groups = task_groups
        self.word_key = word_key
        self.character_key = character_key
        self.dropout = torch.nn.Dropout(dropout)
        if word_dropout > 0 and (word_embedders is None or vocab is None):
            raise ConfigurationError("jmt_hier_gru's word_dropout needs word_embedders and the vocabulary")
        self.word_dropouts = torch.nn.ModuleDict({
            group: WordDropout(word_dropout, vocab, word_key, (word_namespaces or {}).get(group, "tokens"))
            for group in encoders
        }) if word_dropout > 0 else None

    def group_of(self, task: str) -> str:
        """The group whose word embedding and encoder encode `task`'s sentences."""
        if self.task_groups is None:
            return next(iter(self.encoders))
        if task not in self.task_groups:
            raise ValueError(f"task {task!r} is in no group of the backbone; its task_groups: {self.task_groups}")
        return self.task_groups[task]

    def get_output_dim(self) -> int:
        return next(iter(self.encoders.values())).get_output_dim()

    def forward(self, tokens: TextFieldTensors, task: List[str]) -> Dict[str, torch.Tensor]:  # type: ignore
        mask = util.get_text_field_mask(tokens)
        groups = [self.group_of(name) for name in task]
        if len(set(groups)) == 1:
            return {"encoded_tokens": self._encode(groups[0], tokens, mask), "encoded_tokens_mask": mask}
        encoded: Optional[torch.Tensor] = None
        for group in sorted(set(groups)):  # a batch that mixes groups: each group's rows apart
            rows = torch.tensor([i for i, name in enumerate(groups) if name == group], device=mask.device)
            group_tokens = {key: {name: tensor.index_select(0, rows) for name, tensor in indexed.items()}
                            for key, indexed in tokens.items()}
            part = self._encode(group, group_tokens, mask.index_select(0, rows))
            if encoded is None:
                encoded = part.new_zeros(mask.size(0), *part.shape[1:])
            encoded = encoded.index_copy(0, rows, part)
        return {"encoded_tokens": encoded, "encoded_tokens_mask": mask}

    def _encode(self, group: str, tokens: TextFieldTensors, mask: torch.BoolTensor) -> torch.Tensor:
        """The word-level encoder's states over one group's sentences."""
        parts = []
        if self.character_encoder is not None:
            parts.append(self.character_encoder(**tokens[self.character_key]))
        if self.word_embedders is not None:
            word_tokens = self.word_dropouts[group](tokens) if self.word_dropouts is not None else tokens
            parts.append(self.word_embedders[group](**word_tokens[self.word_key]))
        words = self.dropout(torch.cat(parts, dim=-1))
        return self.dropout(self.encoders[group](words, mask))
