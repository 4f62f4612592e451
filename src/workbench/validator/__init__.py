"""The block validator: criterion scores and jury results become one decision per candidate.

A block is validated only as a whole (every competence recognised, every criterion at its
threshold); the partial certification is the set of validated blocks; the title needs all five.
Each decision version is recorded in the audit store (:mod:`workbench.validator.audit`).
"""
