"""Parallel, sandboxed, resumable nbgrader autograding (``workbench autograde``).

The coordinator (:mod:`.runner`) drives nbgrader's own Autograde converter (:mod:`.course`) and
sends execution to warm, forked, sandboxed children (:mod:`.zygote`, :mod:`.sandbox`) through a
local pool or a Dask cluster (:mod:`.backends`).
"""
