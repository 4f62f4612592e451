"""A candidate's correct collection answers for cdnow_winback, shared by the check tests and
benchmarks/bench_checks.py."""

S = "cdnow_winback"
KEPT = ["purchase_dates", "purchase_volume", "purchase_value"]
REASONS = {
    "contact_details": "E-mail and phone identify the person and add nothing to the analysis (GDPR minimisation).",
    "customer_key": "The id is a join key for the tables, not an analysis variable.",
    "purchase_dates": "Purchase recency spots customers who lapsed: the heart of a win-back.",
    "purchase_value": "Money spent measures the customer's value, which the strategy prioritises.",
    "purchase_volume": "Purchase frequency separates loyal customers from one-off buyers.",
}
