"""A linear-chain CRF with Yang et al.'s cost-augmented (softmax-margin) objective and batched Viterbi decoding."""
from typing import List, Optional, Tuple, Union

import numpy
import torch
from allennlp.modules import ConditionalRandomField

from allennlp_jmt.modules.crf_marginals import CrfMarginals, log_alphas
from allennlp_jmt.upstream import constraint_mask

VITERBI_DECODING = Tuple[List[int], float]
FORBIDDEN = -10000.0  # the score AllenNLP gives a forbidden transition


class CostAugmentedCrf(ConditionalRandomField):
    """
    AllenNLP's `ConditionalRandomField` with two changes and two additions.

    1. **Cost-augmented training** (softmax-margin, Gimpel & Smith 2010), as in the code of
       Yang et al. (2016): `forward` returns the summed
       ``f(x, y) - log sum_y' exp(f(x, y') + cost_weight * Hamming(y, y'))``. The cost is
       added to the emission score of every non-gold tag inside the partition function only;
       ``cost_weight = 0`` gives AllenNLP's ordinary log-likelihood.
    2. **Batched Viterbi**: `viterbi_tags` decodes the whole batch with tensor operations (a
       loop over time steps, none over sentences), with the same constraints, scores and
       output as AllenNLP's per-sentence `viterbi_tags`, including `top_k`: 20 to 24 times
       faster on the CPU on batches of 32 (``docs/benchmarks.md``), by the means that
       `viterbi_decode` describes.
    3. **Confidence** (for prediction): `marginals` runs a batched forward-backward over the
       tag sequences that decoding allows (`allennlp_jmt.modules.crf_marginals`), giving each
       tag's and each span's probability.
    4. **Valid k-best**: `valid_top_k` returns only tag sequences that keep the constraints
       (with ``-inf`` for forbidden moves, not upstream's large negative score), with their
       scores and probabilities.

    The log-likelihood's two terms are also computed with fewer operations than upstream's
    (`_input_likelihood`, `_joint_likelihood`): the same values in about half the time.

    Constraints (from `allennlp.modules.conditional_random_field.allowed_transitions`) act in
    decoding (and in 3 and 4) only, as upstream: the training objective ignores them.

    # Parameters

    num_tags : `int`
        The number of tags.
    constraints : `List[Tuple[int, int]]`, optional (default=`None`)
        Allowed transitions ``(from_tag_id, to_tag_id)``, start and end tags included.
    include_start_end_transitions : `bool`, optional (default=`True`)
        Learn START → tag and tag → END transition scores.
    cost_weight : `float`, optional (default=`0.0`)
        The weight of the Hamming cost (Yang et al.'s code: 5.0).
    """

    def __init__(
        self,
        num_tags: int,
        constraints: Optional[List[Tuple[int, int]]] = None,
        include_start_end_transitions: bool = True,
        cost_weight: float = 0.0,
    ) -> None:
        super().__init__(num_tags, constraints, include_start_end_transitions)
        if cost_weight < 0:
            raise ValueError(f"cost_weight must not be negative, not {cost_weight}")
        self.cost_weight = cost_weight

    def forward(  # type: ignore
        self, inputs: torch.Tensor, tags: torch.Tensor, mask: Optional[torch.BoolTensor] = None
    ) -> torch.Tensor:
        """The summed cost-augmented log-likelihood of `tags` given the emission scores `inputs`."""
        if mask is None:
            mask = torch.ones(*tags.size(), dtype=torch.bool, device=inputs.device)
        mask = mask.to(torch.bool)
        augmented = inputs
        if self.cost_weight:  # + cost on every tag but the gold one
            cost = torch.full_like(inputs, self.cost_weight).scatter_(2, tags.unsqueeze(2), 0.0)
            augmented = inputs + cost
        log_denominator = self._input_likelihood(augmented, self.transitions, mask)
        log_numerator = self._joint_likelihood(inputs, self.transitions, tags, mask)
        return torch.sum(log_numerator - log_denominator)

    def _input_likelihood(
        self, logits: torch.Tensor, transitions: torch.Tensor, mask: torch.BoolTensor
    ) -> torch.Tensor:
        """
        The log partition function of each sentence, ``(batch_size,)``: upstream's forward
        algorithm, value for value (the same sums in the same order), with fewer operations per
        step: `torch.logsumexp`, `torch.where` for the ended sentences instead of two masked
        products, and no masking at the steps where no sentence has ended.
        """
        start = self.start_transitions if self.include_start_end_transitions else None
        alpha = log_alphas(logits, mask.to(torch.bool), transitions, start)[-1]
        if self.include_start_end_transitions:
            alpha = alpha + self.end_transitions.view(1, self.num_tags)
        return torch.logsumexp(alpha, -1)

    def _joint_likelihood(
        self, logits: torch.Tensor, transitions: torch.Tensor, tags: torch.Tensor, mask: torch.BoolTensor
    ) -> torch.Tensor:
        """
        The score of each sentence's `tags`, ``(batch_size,)``: upstream's sum of emission and
        transition scores over the unmasked steps, gathered for all steps at once instead of in
        a loop over time (the same terms, summed in another order).
        """
        batch_size = logits.size(0)
        mask = mask.to(torch.bool)
        emitted = logits.gather(2, tags.unsqueeze(2)).squeeze(2) * mask
        moved = transitions[tags[:, :-1], tags[:, 1:]] * mask[:, 1:]
        score = emitted.sum(1) + moved.sum(1)
        if self.include_start_end_transitions:
            last_tags = tags.gather(1, (mask.sum(1) - 1).view(batch_size, 1)).squeeze(1)
            score = score + self.start_transitions.index_select(0, tags[:, 0])
            score = score + self.end_transitions.index_select(0, last_tags)
        return score

    def viterbi_tags(  # type: ignore
        self, logits: torch.Tensor, mask: Optional[torch.BoolTensor] = None, top_k: Optional[int] = None
    ) -> Union[List[VITERBI_DECODING], List[List[VITERBI_DECODING]]]:
        """
        The best tag sequences of each sentence, as AllenNLP's `viterbi_tags` returns them: for
        ``top_k=None`` one ``(tags, score)`` per sentence, else a list of `top_k` of them.
        """
        if mask is None:
            mask = torch.ones(*logits.shape[:2], dtype=torch.bool, device=logits.device)
        paths, scores = self.viterbi_decode(logits, mask, top_k or 1)
        sentences = zip(paths.tolist(), scores.tolist(), mask.sum(dim=1).tolist())
        if top_k is None:
            return [(sentence_paths[0][:length], sentence_scores[0]) for sentence_paths, sentence_scores, length
                    in sentences]
        return [[(path[:length], score) for path, score in zip(sentence_paths, sentence_scores)]
                for sentence_paths, sentence_scores, length in sentences]

    @torch.no_grad()
    def viterbi_decode(
        self, logits: torch.Tensor, mask: torch.BoolTensor, top_k: int = 1, forbidden: float = FORBIDDEN
    ) -> Tuple[torch.LongTensor, torch.Tensor]:
        """
        Batched k-best Viterbi. Returns paths ``(batch, top_k, length)`` (positions past a
        sentence's end repeat its last tag) and their scores ``(batch, top_k)``, best first.
        Forbidden moves score `forbidden`: `FORBIDDEN` as upstream, or ``-inf``, which gives a
        path that breaks a constraint (when fewer than `top_k` paths keep them) the score ``-inf``.

        Written for speed on the CPU, with upstream's results. The forward pass keeps only each
        step's best scores (a max without indices is several times faster than one with them);
        `_backtrack` then ranks again, for the one state each path is in, the same sums, so the
        paths are those of upstream's backpointers. The sentences lie along the last dimension,
        so that each step's (from state, to tag, sentence) sums reduce over their first: for 32
        sentences and 40 tags, 9 us a step, against 13 to 30 us with the sentences first.
        """
        batch_size, length, num_tags = logits.shape
        width = top_k * num_tags  # state k * num_tags + i: the k-th best path ending in tag i
        moves, start, end = self._decoding_scores(forbidden, top_k)
        mask = mask.to(torch.bool)
        emissions = logits.detach().permute(1, 2, 0).contiguous().unbind(0)  # each (num_tags, batch)
        ongoing = mask.all(dim=0).tolist()  # steps where no sentence has ended need no masking
        # history[t]: (states, batch), the best score of each state at step t.
        history = logits.new_empty(length, width, batch_size)
        history[0, num_tags:] = float("-inf")  # only k = 0 starts alive
        torch.add(start.unsqueeze(1), emissions[0], out=history[0, :num_tags])
        sources = history.unsqueeze(2).unbind(0)  # each (states, 1, batch)
        ranked = history.view(length, top_k, num_tags, batch_size).unbind(0)  # each (top_k, num_tags, batch)
        sums = logits.new_empty(width, num_tags, batch_size) if top_k == 1 else None
        for t in range(1, length):
            if top_k == 1:
                torch.amax(torch.add(sources[t - 1], moves, out=sums), dim=0, keepdim=True, out=ranked[t])
            else:  # the top_k best of the (from state, to tag, sentence) sums into each tag
                ranked[t].copy_((sources[t - 1] + moves).topk(top_k, dim=0).values)
            ranked[t].add_(emissions[t])
            if not ongoing[t]:
                torch.where(mask[:, t], ranked[t], ranked[t - 1], out=ranked[t])
        final_scores, last = (ranked[-1] + end.view(1, num_tags, 1)).view(width, batch_size).t().topk(top_k)
        paths = _backtrack(history.transpose(1, 2).cpu().numpy(), moves.squeeze(2).t().cpu().numpy(),
                           last.cpu().numpy(), mask.cpu().numpy(), ongoing)
        return torch.from_numpy(paths % num_tags).to(logits.device), final_scores

    def _decoding_scores(self, forbidden: float, top_k: int) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """
        The scores `viterbi_decode` moves by: ``moves[k * num_tags + i, j, 0]``, the constrained
        score of the move i -> j from each of the `top_k` states ending in i, and the constrained
        start and end scores. Computed once per value of the CRF's parameters: the same parameter
        objects, storage and version counters (which every in-place update bumps, an optimizer's
        step or `load_state_dict`; a write through ``.data`` does not).
        """
        parameters = (self.transitions,) + (
            (self.start_transitions, self.end_transitions) if self.include_start_end_transitions else ())
        key = (forbidden, top_k, *((id(p), p.data_ptr(), p._version, p.device, p.dtype) for p in parameters))
        cached = self.__dict__.get("_decoding_cache")
        if cached is None or cached[0] != key:
            transitions, start, end = self._constrained_scores(forbidden)
            moves = transitions.repeat(top_k, 1).unsqueeze(2).contiguous()
            # Holding the parameters keeps their ids from being reused by others while the key names them.
            cached = self._decoding_cache = (key, parameters, (moves, start, end))
        return cached[2]

    @torch.no_grad()
    def marginals(self, logits: torch.Tensor, mask: torch.BoolTensor) -> CrfMarginals:
        """
        The forward-backward of `logits` ``(batch, length, num_tags)`` with their `mask` (one
        word at least per sentence) over the tag sequences that decoding allows (forbidden moves
        at ``-inf``), without the training cost: tag marginals, the log partition function and
        the probabilities of tag patterns (spans), for confidence scores at prediction time.
        """
        return CrfMarginals(logits.detach(), mask, *self._constrained_scores(float("-inf")))

    @torch.no_grad()
    def valid_top_k(
        self, logits: torch.Tensor, mask: torch.BoolTensor, top_k: int
    ) -> List[List[Tuple[List[int], float, float]]]:
        """
        The `top_k` best tag sequences of each sentence that keep the constraints, best first,
        as ``(tags, score, probability)``: the unnormalised path score and its probability
        ``exp(score - log Z)`` among the allowed sequences (``Z`` their summed exponentiated
        scores, without the training cost). Fewer than `top_k` where fewer sequences are allowed:
        a path that breaks a constraint scores ``-inf`` in this decoding and is left out.
        """
        paths, scores = self.viterbi_decode(logits, mask, top_k, forbidden=float("-inf"))
        probabilities = (scores - self.marginals(logits, mask).log_partition.unsqueeze(1)).exp()
        lengths = mask.sum(dim=1).tolist()
        return [
            [(path[:length], score, probability)
             for path, score, probability in zip(sentence_paths, sentence_scores, sentence_probabilities)
             if score != float("-inf")]
            for sentence_paths, sentence_scores, sentence_probabilities, length
            in zip(paths.tolist(), scores.tolist(), probabilities.tolist(), lengths)
        ]

    def _constrained_scores(self, forbidden: float = FORBIDDEN) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """
        Transition, start and end scores (0 for a CRF without start and end transitions) with
        the moves that the constraints forbid at `forbidden`: `FORBIDDEN` as upstream decodes,
        ``-inf`` to rule them out.
        """
        n = self.num_tags
        allowed = constraint_mask(self).detach() > 0
        transitions = torch.where(allowed[:n, :n], self.transitions.detach(), forbidden)
        if self.include_start_end_transitions:
            start, end = self.start_transitions.detach(), self.end_transitions.detach()
        else:
            start = end = torch.zeros_like(self.transitions[0]).detach()
        start = torch.where(allowed[n, :n], start, forbidden)
        end = torch.where(allowed[:n, n + 1], end, forbidden)
        return transitions, start, end


def _backtrack(
    scores: numpy.ndarray, moves_into: numpy.ndarray, last: numpy.ndarray, mask: numpy.ndarray, ongoing: List[bool]
) -> numpy.ndarray:
    """
    The Viterbi paths ``(batch, top_k, length)`` of states ``k * num_tags + i`` that end in the
    `last` states ``(batch, top_k)``, from each step's best `scores` ``(length, batch, states)``
    and the moves into each tag, `moves_into` ``(num_tags, states)``: going back, the r-th best
    path into tag j came from the r-th best of the sums into j at the step before, the sums that
    the forward pass ranked (a tie goes to the first state, as in `torch.max`); past a sentence's
    end (`mask` ``(batch, length)`` false) a path stays in its state. In NumPy, whose small
    operations cost a fraction of torch's: this walk of one small step per word takes half the
    time it takes in torch.
    """
    length, batch_size, _ = scores.shape
    num_tags = moves_into.shape[0]
    top_k = last.shape[1]
    paths = numpy.empty((batch_size, top_k, length), dtype=numpy.int64)
    paths[:, :, -1] = current = last
    for t in range(length - 1, 0, -1):
        tags = current if top_k == 1 else current % num_tags
        candidates = scores[t - 1][:, None, :] + moves_into[tags]  # (batch, top_k, states)
        if top_k == 1:
            previous = candidates.argmax(axis=2)
        else:  # (batch, top_k): the r-th best of the sums into each path's tag, r its rank
            ranked = numpy.argsort(-candidates, axis=2, kind="stable")
            previous = numpy.take_along_axis(ranked, (current // num_tags)[:, :, None], axis=2)[:, :, 0]
        current = previous if ongoing[t] else numpy.where(mask[:, t : t + 1], previous, current)
        paths[:, :, t - 1] = current
    return paths
