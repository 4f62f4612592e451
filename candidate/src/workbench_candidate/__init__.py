"""The candidate environment of the block-1 workbench.

What a candidate's JupyterLab (or an exam JupyterHub image) needs, and nothing more: the public
self-checks and their rules, figure display settings, readers of the released data. It holds no
answer key, no model answer, no reference segmentation, and nothing callable returns points:
grading happens outside the candidate's process (the workbench judge).
"""

__version__ = "0.1.0"

from workbench_candidate import block1  # noqa: E402  (the notebooks' one import)

__all__ = ["block1"]
