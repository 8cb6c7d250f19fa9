"""A linear-chain CRF with Yang et al.'s cost-augmented (softmax-margin) objective and batched Viterbi decoding."""
from typing import List, Optional, Tuple, Union

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
       output as AllenNLP's per-sentence `viterbi_tags`, including `top_k`.
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
        lengths = mask.sum(dim=1).tolist()
        all_paths, all_scores = paths.tolist(), scores.tolist()
        decoded = [
            [(sentence_paths[k][:length], sentence_scores[k]) for k in range(len(sentence_paths))]
            for sentence_paths, sentence_scores, length in zip(all_paths, all_scores, lengths)
        ]
        if top_k is None:
            return [best[0] for best in decoded]
        return decoded

    @torch.no_grad()
    def viterbi_decode(
        self, logits: torch.Tensor, mask: torch.BoolTensor, top_k: int = 1, forbidden: float = FORBIDDEN
    ) -> Tuple[torch.LongTensor, torch.Tensor]:
        """
        Batched k-best Viterbi. Returns paths ``(batch, top_k, length)`` (positions past a
        sentence's end repeat its last tag) and their scores ``(batch, top_k)``, best first.
        Forbidden moves score `forbidden`: `FORBIDDEN` as upstream, or ``-inf``, which gives a
        path that breaks a constraint (when fewer than `top_k` paths keep them) the score ``-inf``.
        """
        batch_size, length, num_tags = logits.shape
        transitions, start, end = self._constrained_scores(forbidden)
        mask = mask.to(torch.bool)
        logits = logits.detach()
        # scores[b, k, n]: the k-th best score of a path ending in tag n; only k = 0 starts alive.
        scores = logits.new_full((batch_size, top_k, num_tags), float("-inf"))
        scores[:, 0] = start + logits[:, 0]
        identity = torch.arange(top_k * num_tags, device=logits.device).view(1, top_k, num_tags)
        # extend[k * num_tags + i, j]: the transition i -> j, for each of the k paths ending in i.
        extend = transitions.repeat(top_k, 1).unsqueeze(0)
        emissions = logits.unsqueeze(2)  # (batch, length, 1, tags)
        steps = mask.view(batch_size, length, 1, 1)
        everyone = mask.all(dim=0).tolist()  # steps where no sentence has ended need no masking
        backpointers = []
        for t in range(1, length):
            candidates = scores.reshape(batch_size, top_k * num_tags, 1) + extend
            if top_k == 1:  # max is about twice as fast as topk on the CPU
                best, pointer = candidates.max(dim=1, keepdim=True)
            else:  # the top_k over (k, i), for each next tag j
                best, pointer = candidates.topk(top_k, dim=1)
            best = best + emissions[:, t]
            if not everyone[t]:
                best = torch.where(steps[:, t], best, scores)
                pointer = torch.where(steps[:, t], pointer, identity)
            scores = best
            backpointers.append(pointer.reshape(batch_size, top_k * num_tags))
        final_scores, current = (scores + end).reshape(batch_size, top_k * num_tags).topk(top_k, dim=1)
        path = [current]
        for pointer in reversed(backpointers):
            current = pointer.gather(1, current)
            path.append(current)
        path.reverse()
        paths = torch.stack(path, dim=2) % num_tags
        return paths, final_scores

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
