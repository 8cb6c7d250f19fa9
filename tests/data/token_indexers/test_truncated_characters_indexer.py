from allennlp.common import Params
from allennlp.data import Instance, Token, TokenIndexer, Vocabulary
from allennlp.data.fields import TextField


def test_keeps_the_first_characters_from_a_config():
    indexer = TokenIndexer.from_params(Params({"type": "jmt_truncated_characters", "max_characters": 4}))
    field = TextField([Token("internationalization"), Token("ab")], {"chars": indexer})
    vocab = Vocabulary.from_instances([Instance({"tokens": field})])
    field.index(vocab)
    assert field.get_padding_lengths()["chars___num_token_characters"] == 4
    assert vocab.get_token_index("z", "token_characters") == 1  # "z" never counted: only "inte" and "ab" were
    tensors = field.as_tensor(field.get_padding_lengths())["chars"]["token_characters"]
    assert [vocab.get_token_from_index(int(i), "token_characters") for i in tensors[0]] == list("inte")
