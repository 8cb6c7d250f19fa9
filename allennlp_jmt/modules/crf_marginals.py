"""
Exact probabilities of a linear-chain CRF over a constrained tag space: a batched forward-backward
(the tags' marginals, the log partition function) and the probability of a tag pattern over a
window of words (a span's).

Why written by hand: AllenNLP's `ConditionalRandomField` has the forward algorithm only as the
denominator of its loss, and Viterbi decoding; it has no backward pass, so no marginals, and its
decoder forbids a transition with a large negative score (-10000), which leaves a forbidden tag
sequence a small but non-zero share of the probability. Here forbidden moves score ``-inf``: a
forbidden sequence has probability 0 exactly, and the distribution is the one over the sequences
that constrained decoding can return.
"""
from typing import Dict, List, Optional, Tuple

import torch

# A pattern of tags: the first word it covers, and for each word from there (width, num_tags)
# the tags it allows there.
TagPattern = Tuple[int, torch.BoolTensor]


def log_alphas(
    logits: torch.Tensor, mask: torch.BoolTensor, transitions: torch.Tensor, start: Optional[torch.Tensor] = None
) -> List[torch.Tensor]:
    """
    The forward algorithm: for each step ``t``, ``(batch_size, num_tags)``, the log-sum of the
    scores of the tag sequences over words ``0..t`` that end in each tag (its emission score
    included, START → tag too when `start` is given). Past a sentence's end its values repeat
    those of its last word. `CostAugmentedCrf`'s loss and `CrfMarginals` share it; the order of
    the additions is upstream's, so that the loss keeps AllenNLP's values exactly.

    # Parameters

    logits : `torch.Tensor`
        Emission scores, ``(batch_size, length, num_tags)``.
    mask : `torch.BoolTensor`
        ``(batch_size, length)``, each sentence's words first.
    transitions : `torch.Tensor`
        ``(num_tags, num_tags)``: the score of tag ``i`` followed by tag ``j`` (``-inf`` forbids it).
    start : `torch.Tensor`, optional (default=`None`: no START scores)
        ``(num_tags,)``: the score of a sentence starting with each tag.
    """
    batch_size, length, num_tags = logits.shape
    logits = logits.transpose(0, 1).contiguous()
    alpha = logits[0] if start is None else start.view(1, num_tags) + logits[0]
    transitions = transitions.view(1, num_tags, num_tags)
    alive = mask.to(torch.bool).transpose(0, 1).unsqueeze(2)  # (length, batch, 1)
    everyone = mask.all(dim=0).tolist()  # steps where no sentence has ended need no masking
    alphas = [alpha]
    for t in range(1, length):
        # inner[b, i, j]: alpha of tag i, then tag j at step t (upstream's order of additions)
        inner = alpha.view(batch_size, num_tags, 1) + logits[t].view(batch_size, 1, num_tags) + transitions
        step = torch.logsumexp(inner, 1)
        alpha = step if everyone[t] else torch.where(alive[t], step, alpha)
        alphas.append(alpha)
    return alphas


def log_betas(
    logits: torch.Tensor, mask: torch.BoolTensor, transitions: torch.Tensor, end: torch.Tensor
) -> List[torch.Tensor]:
    """
    The backward algorithm: for each step ``t``, ``(batch_size, num_tags)``, the log-sum of the
    scores of the tag sequences from each tag at word ``t`` to the sentence's end (the emission at
    ``t`` excluded, tag → END included). At a sentence's last word and past it: `end`.

    # Parameters

    logits : `torch.Tensor`
        ``(batch_size, length, num_tags)``.
    mask : `torch.BoolTensor`
        ``(batch_size, length)``, each sentence's words first.
    transitions : `torch.Tensor`
        ``(num_tags, num_tags)``, ``-inf`` where forbidden.
    end : `torch.Tensor`
        ``(num_tags,)``: the score of a sentence ending with each tag (``-inf`` forbids it).
    """
    batch_size, length, num_tags = logits.shape
    mask = mask.to(torch.bool)
    end = end.view(1, num_tags).expand(batch_size, num_tags)
    beta = end
    betas = [beta]
    for t in range(length - 2, -1, -1):
        # inner[b, i, j]: tag i at t, then tag j at t + 1 and the rest of the sentence
        inner = transitions.view(1, num_tags, num_tags) + (logits[:, t + 1] + beta).view(batch_size, 1, num_tags)
        beta = torch.where(mask[:, t + 1].view(batch_size, 1), torch.logsumexp(inner, 2), end)
        betas.append(beta)
    betas.reverse()
    return betas


class CrfMarginals:
    """
    A batch's forward-backward under a CRF's constrained scores (made by
    `CostAugmentedCrf.marginals`): the tags' marginal probabilities and the probability of any
    tag pattern over a window of words, exactly (sums over every allowed tag sequence, computed
    in log space, batched: loops run over time steps, never over sentences).

    # Parameters

    logits : `torch.Tensor`
        Emission scores, ``(batch_size, length, num_tags)``.
    mask : `torch.BoolTensor`
        ``(batch_size, length)``, each sentence's words first, at least one each.
    transitions : `torch.Tensor`
        ``(num_tags, num_tags)``, ``-inf`` where forbidden.
    start : `torch.Tensor`
        ``(num_tags,)``, START → tag scores, ``-inf`` where forbidden (0 for a CRF without them).
    end : `torch.Tensor`
        ``(num_tags,)``, tag → END scores, likewise.
    """

    def __init__(
        self,
        logits: torch.Tensor,
        mask: torch.BoolTensor,
        transitions: torch.Tensor,
        start: torch.Tensor,
        end: torch.Tensor,
    ) -> None:
        self.logits = logits
        self.mask = mask.to(torch.bool)
        self.transitions = transitions
        # log_alpha[b, t, j]: paths over words 0..t ending in j; log_beta[b, t, i]: from i at t to END.
        alphas = log_alphas(logits, self.mask, transitions, start)
        self.log_alpha = torch.stack(alphas, dim=1)
        self.log_beta = torch.stack(log_betas(logits, self.mask, transitions, end), dim=1)
        self.log_partition = torch.logsumexp(alphas[-1] + end.view(1, -1), dim=-1)

    @property
    def tag_probabilities(self) -> torch.Tensor:
        """
        ``(batch_size, length, num_tags)``: the probability of each tag at each word (each word's
        sum to 1); 0 past a sentence's end.
        """
        log_marginals = self.log_alpha + self.log_beta - self.log_partition.view(-1, 1, 1)
        return log_marginals.exp() * self.mask.unsqueeze(2)

    def pattern_probabilities(
        self, sentences: torch.LongTensor, firsts: torch.LongTensor, allowed: torch.BoolTensor,
        widths: torch.LongTensor,
    ) -> torch.Tensor:
        """
        The probability of each of a batch of tag patterns, ``(num_patterns,)``: that sentence
        ``sentences[p]`` has, at each word ``firsts[p] + w`` for ``w < widths[p]``, one of the tags
        that ``allowed[p, w]`` allows: ``alpha(first)`` restricted to the first word's tags, then
        the transitions and emissions through the window (restricted word by word), then ``beta``
        of its last word.

        # Parameters

        sentences : `torch.LongTensor`
            ``(num_patterns,)``: the pattern's sentence in the batch.
        firsts : `torch.LongTensor`
            ``(num_patterns,)``: its first word.
        allowed : `torch.BoolTensor`
            ``(num_patterns, max_width, num_tags)``: the tags allowed at each word of the window
            (what lies past ``widths[p]`` is not read).
        widths : `torch.LongTensor`
            ``(num_patterns,)``: the number of words it covers, 1 at least, within the sentence.
        """
        forbidden = torch.tensor(float("-inf"), device=self.logits.device, dtype=self.logits.dtype)
        last_word = self.logits.size(1) - 1
        score = torch.where(allowed[:, 0], self.log_alpha[sentences, firsts], forbidden)
        for w in range(1, allowed.size(1)):
            words = (firsts + w).clamp(max=last_word)
            inner = score.unsqueeze(2) + self.transitions.unsqueeze(0)
            step = torch.logsumexp(inner, dim=1) + self.logits[sentences, words]
            step = torch.where(allowed[:, w], step, forbidden)
            score = torch.where((widths > w).unsqueeze(1), step, score)
        lasts = firsts + widths - 1
        log_probabilities = torch.logsumexp(score + self.log_beta[sentences, lasts], dim=1)
        return (log_probabilities - self.log_partition[sentences]).exp()


def span_patterns(
    label: str, start: int, end: int, length: int, encoding: str, tag_index: Dict[str, int], num_tags: int
) -> List[TagPattern]:
    """
    The tag patterns whose union is the event "the sentence's tags, read in `encoding` (as
    `allennlp_jmt.modules.tag_spans.sorted_spans` reads them), contain exactly the span
    ``[label, start, end]``" (end inclusive); they exclude one another, so that the span's
    probability is the sum of theirs.

    - ``BIOUL``: ``U-label`` at `start` when ``start == end``, else ``B-label``, ``I-label``
      inside, ``L-label`` at `end` (exact over the tag sequences that constrained decoding
      allows; AllenNLP's decoder rejects the others).
    - ``BIO`` and ``IOB1`` (AllenNLP's decoders, as conlleval: an ``I-`` after a tag of another
      type or ``O`` opens a span): ``B-label`` at `start`, or ``I-label`` at `start` after
      anything but ``B-label`` or ``I-label``; then ``I-label`` to `end`, and after `end` (if
      the sentence goes on) anything but ``I-label``.

    # Parameters

    label : `str`
    start : `int`
    end : `int`
        The span's first and last word.
    length : `int`
        The sentence's number of words.
    encoding : `str`
        ``"BIOUL"``, ``"BIO"`` or ``"IOB1"``.
    tag_index : `Dict[str, int]`
        Tag string → tag id (tags missing from it are never allowed).
    num_tags : `int`
    """

    def only(*tags: str) -> torch.BoolTensor:
        # On the CPU whatever the default device: `span_probabilities` moves all patterns in one copy.
        allowed = torch.zeros(num_tags, dtype=torch.bool, device="cpu")
        allowed[[tag_index[tag] for tag in tags if tag in tag_index]] = True
        return allowed

    def all_but(*tags: str) -> torch.BoolTensor:
        return ~only(*tags)

    if encoding == "BIOUL":
        if start == end:
            return [(start, only(f"U-{label}").unsqueeze(0))]
        inside = [only(f"I-{label}")] * (end - start - 1)
        return [(start, torch.stack([only(f"B-{label}"), *inside, only(f"L-{label}")]))]
    if encoding not in ("BIO", "IOB1"):
        raise ValueError(f"unknown label_encoding {encoding!r}: use BIOUL, BIO or IOB1")
    inside = [only(f"I-{label}")] * (end - start)
    closed = [all_but(f"I-{label}")] if end + 1 < length else []
    opened_by_b = (start, torch.stack([only(f"B-{label}"), *inside, *closed]))
    opened_by_i = [only(f"I-{label}"), *inside, *closed]
    if start > 0:
        return [opened_by_b, (start - 1, torch.stack([all_but(f"B-{label}", f"I-{label}"), *opened_by_i]))]
    return [opened_by_b, (start, torch.stack(opened_by_i))]


def span_probabilities(
    marginals: CrfMarginals, spans: List[List[list]], encoding: str, tag_index: Dict[str, int]
) -> List[List[float]]:
    """
    For each sentence of the batch of `marginals`, the probability of each of its `spans`
    (``[label, start, end]``, end inclusive) being exactly a span of its tags read in
    `encoding`: the sum of its `span_patterns`' probabilities, the batch's patterns computed at
    once.
    """
    lengths = marginals.mask.sum(dim=1).tolist()
    num_tags = marginals.logits.size(2)
    numbered = [(sentence, span) for sentence, sentence_spans in enumerate(spans) for span in sentence_spans]
    owners, sentences, firsts, patterns = [], [], [], []  # each pattern's span number, sentence, first word, tags
    for number, (sentence, (label, start, end)) in enumerate(numbered):
        for first, allowed in span_patterns(label, start, end, lengths[sentence], encoding, tag_index, num_tags):
            owners.append(number)
            sentences.append(sentence)
            firsts.append(first)
            patterns.append(allowed)
    per_sentence: List[List[float]] = [[] for _ in spans]
    if not numbered:
        return per_sentence
    device = marginals.logits.device

    def as_tensor(values: List[int]) -> torch.LongTensor:
        return torch.tensor(values, dtype=torch.long, device=device)

    allowed = torch.nn.utils.rnn.pad_sequence(patterns, batch_first=True).to(device)
    widths = as_tensor([len(pattern) for pattern in patterns])
    probabilities = marginals.pattern_probabilities(as_tensor(sentences), as_tensor(firsts), allowed, widths)
    per_span = probabilities.new_zeros(len(numbered)).index_add_(0, as_tensor(owners), probabilities)
    for (sentence, _), probability in zip(numbered, per_span.tolist()):
        per_sentence[sentence].append(probability)
    return per_sentence
