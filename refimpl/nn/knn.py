r"""The k-nearest-neighbour classifier: a non-parametric predictor that keeps the data.

A parametric model is a map $h : \Theta \times \mathcal X \to \mathcal Y$; once $\theta$ is
learned the data can be thrown away. A non-parametric predictor takes the data set itself as an
argument, $h : \mathcal P(\mathcal X \times \mathcal Y) \times \mathcal X \to \mathcal Y$. The
$k$-NN rule predicts the most common label among the $k$ training points nearest to $x$:

$$
h(D, x) = \arg\max_{c} \sum_{(x_i, y_i) \in N_k(x)} \mathbf 1[y_i = c],
$$

with ties between classes broken towards the smallest label. Its capacity grows with the data.
Reading list: ``goodfellow2016`` (section 5.7.2).
"""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["KNeighborsClassifier"]


class KNeighborsClassifier(torch.nn.Module):
    r"""Majority vote of the $k$ nearest training points (Euclidean distance).

    The training set is stored in buffers (``train_x``, ``train_y``), so it moves with
    ``.to(device)`` and is saved in the ``state_dict``: the data are the model.

    Args:
        n_neighbors: $k$.
        num_classes: the number of classes $C$ (labels are $0, \dots, C-1$).

    Example:
        >>> import torch
        >>> from refimpl.nn import KNeighborsClassifier
        >>> x = torch.tensor([[0.0], [1.0], [10.0], [11.0]])
        >>> y = torch.tensor([0, 0, 1, 1])
        >>> knn = KNeighborsClassifier(n_neighbors=2, num_classes=2).fit(x, y)
        >>> knn(torch.tensor([[0.5], [10.2]])).tolist()
        [0, 1]
    """

    def __init__(self, n_neighbors: int = 5, num_classes: int = 2) -> None:
        super().__init__()
        self.n_neighbors = n_neighbors
        self.num_classes = num_classes
        self.register_buffer("train_x", torch.empty(0, 0))
        self.register_buffer("train_y", torch.empty(0, dtype=torch.long))

    def fit(self, x: Tensor, y: Tensor) -> KNeighborsClassifier:
        """Store the training set (features of shape ``(n, d)``, integer labels ``(n,)``)."""
        self.train_x = x.detach().clone()
        self.train_y = y.detach().clone().long()
        return self

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs) -> None:
        # the stored training set may have any size: adopt the incoming buffers' shapes
        for name in ("train_x", "train_y"):
            if prefix + name in state_dict:
                setattr(self, name, torch.empty_like(state_dict[prefix + name]))
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    # --8<-- [start:knn]
    def vote_counts(self, x: Tensor) -> Tensor:
        r"""How many of the $k$ nearest neighbours of each query carry each label.

        Args:
            x: queries, shape ``(m, d)``.

        Returns:
            Counts, shape ``(m, C)``, each row summing to $k$.
        """
        # squared distances ‖x − x_i‖², shape (m, n)
        d2 = (x[:, None, :] - self.train_x[None, :, :]).pow(2).sum(-1)
        # indices of the k nearest (stable sort: equal distances keep training order)
        nearest = torch.sort(d2, dim=1, stable=True).indices[:, : self.n_neighbors]  # (m, k)
        labels = self.train_y[nearest]  # (m, k)
        one_hot = labels[..., None] == torch.arange(self.num_classes, device=x.device)
        return one_hot.sum(1)  # (m, C)

    def forward(self, x: Tensor) -> Tensor:
        """The predicted labels, shape ``(m,)``: the most frequent, smallest on ties."""
        # argmax returns the first maximum: ties go to the smallest label
        return self.vote_counts(x).argmax(dim=1)

    # --8<-- [end:knn]
