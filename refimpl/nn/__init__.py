"""Models and layers: ``torch.nn.Module`` subclasses built from primitive tensor ops."""

__all__: list[str] = []
