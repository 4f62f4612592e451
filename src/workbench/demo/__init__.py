"""The main job: the whole block-1 pipeline on a simulated cohort (``workbench demo``).

instructor sets up a course and releases block 1 → simulated candidates fetch, answer and
submit through the real nbgrader exchange → graders collect, autograde, import rubric levels
→ criterion scores → block validator (blocks 2–5 from a jury CSV) → reports.
"""

from workbench.demo.pipeline import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
