"""A linear-chain CRF with Yang et al.'s cost-augmented (softmax-margin) objective and batched Viterbi decoding."""
from typing import List, Optional, Tuple, Union

import torch
from allennlp.modules import ConditionalRandomField

VITERBI_DECODING = Tuple[List[int], float]
FORBIDDEN = -10000.0  # the score AllenNLP gives a forbidden transition


class CostAugmentedCrf(ConditionalRandomField):
    """
    AllenNLP's `ConditionalRandomField` with two changes.

    1. **Cost-augmented training** (softmax-margin, Gimpel & Smith 2010), as in the code of
       Yang et al. (2016): `forward` returns the summed
       ``f(x, y) - log sum_y' exp(f(x, y') + cost_weight * Hamming(y, y'))``. The cost is
       added to the emission score of every non-gold tag inside the partition function only;
       ``cost_weight = 0`` gives AllenNLP's ordinary log-likelihood.
    2. **Batched Viterbi**: `viterbi_tags` decodes the whole batch with tensor operations (a
       loop over time steps, none over sentences), with the same constraints, scores and
       output as AllenNLP's per-sentence `viterbi_tags`, including `top_k`.

    The log-likelihood's two terms are also computed with fewer operations than upstream's
    (`_input_likelihood`, `_joint_likelihood`): the same values in about half the time.

    Constraints (from `allennlp.modules.conditional_random_field.allowed_transitions`) act in
    decoding only, as upstream.

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
        batch_size, length, num_tags = logits.shape
        mask = mask.to(torch.bool)
        logits = logits.transpose(0, 1).contiguous()
        if self.include_start_end_transitions:
            alpha = self.start_transitions.view(1, num_tags) + logits[0]
        else:
            alpha = logits[0]
        transitions = transitions.view(1, num_tags, num_tags)
        alive = mask.transpose(0, 1).unsqueeze(2)  # (length, batch, 1)
        everyone = mask.all(dim=0).tolist()
        for t in range(1, length):
            # inner[b, i, j]: alpha of tag i, then tag j at step t (upstream's order of additions)
            inner = alpha.view(batch_size, num_tags, 1) + logits[t].view(batch_size, 1, num_tags) + transitions
            step = torch.logsumexp(inner, 1)
            alpha = step if everyone[t] else torch.where(alive[t], step, alpha)
        if self.include_start_end_transitions:
            alpha = alpha + self.end_transitions.view(1, num_tags)
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
        self, logits: torch.Tensor, mask: torch.BoolTensor, top_k: int = 1
    ) -> Tuple[torch.LongTensor, torch.Tensor]:
        """
        Batched k-best Viterbi. Returns paths ``(batch, top_k, length)`` (positions past a
        sentence's end repeat its last tag) and their scores ``(batch, top_k)``, best first.
        """
        batch_size, length, num_tags = logits.shape
        transitions, start, end = self._constrained_scores()
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

    def _constrained_scores(self) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Transition, start and end scores with forbidden moves at `FORBIDDEN`, as upstream decodes."""
        n = self.num_tags
        allowed = self._constraint_mask.detach()
        start_allowed, end_allowed = allowed[n, :n], allowed[:n, n + 1]
        transitions = self.transitions.detach() * allowed[:n, :n] + FORBIDDEN * (1 - allowed[:n, :n])
        start = FORBIDDEN * (1 - start_allowed)
        end = FORBIDDEN * (1 - end_allowed)
        if self.include_start_end_transitions:
            start = start + self.start_transitions.detach() * start_allowed
            end = end + self.end_transitions.detach() * end_allowed
        return transitions, start, end
