"""The hand-over codec: values only, each array of a notebook sent once, named blobs resolved
only within that notebook's hand-overs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.autograde import answers as A
from workbench.autograde.outcome import answers_by_cell
from workbench_candidate.outcome import BadAnswer


def _table(n: int = 500) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"customer_id": np.arange(n), "monetary": rng.gamma(2, 30, n).round(2),
                         "segment": rng.choice(["a", "b"], n)})


def _frames(sender: A.BlobSender, cells: list[tuple[int, list[str], dict]]) -> dict:
    """The raw result of a child that handed over ``cells`` (index, names, namespace) in order."""
    out = []
    for index, names, ns in cells:
        values = A.encode_answers(names, ns, sender=sender)
        out.append({"index": index, "values": values, "blobs": sender.flush()})
    return {"answers": out}


def _decode(handovers: A.Handovers, index: int, name: str):
    return A.decode_value(handovers.values[index][name], name, blobs=A.BlobTable(handovers.blobs))


def test_a_table_read_by_three_cells_crosses_once_and_reads_back_equal():
    table, labels = _table(), np.arange(500) % 4
    raw = _frames(A.BlobSender(), [(3, ["table"], {"table": table}),
                                   (5, ["table", "labels"], {"table": table, "labels": labels}),
                                   (7, ["table"], {"table": table})])
    sent = [len(frame["blobs"]) for frame in raw["answers"]]
    # column names, index, monetary, segment (customer_id has the index's very bytes); then labels only
    assert sent == [4, 1, 0]
    got = answers_by_cell(raw)
    for index in (3, 5, 7):
        back = _decode(got, index, "table")
        pd.testing.assert_frame_equal(back.reset_index(drop=True), table, check_dtype=False)
    np.testing.assert_array_equal(_decode(got, 5, "labels"), labels)


def test_a_changed_table_is_sent_again():
    table = _table()
    changed = table.assign(monetary=table["monetary"] + 1)
    raw = _frames(A.BlobSender(), [(1, ["t"], {"t": table}), (2, ["t"], {"t": changed})])
    assert len(raw["answers"][1]["blobs"]) == 1  # the changed column only
    assert _decode(answers_by_cell(raw), 2, "t")["monetary"].iloc[0] == changed["monetary"].iloc[0]


def test_a_name_no_hand_over_carried_is_an_altered_answer():
    raw = _frames(A.BlobSender(), [(1, ["x"], {"x": np.arange(10)})])
    raw["answers"][0]["blobs"] = {}
    with pytest.raises(A.AlteredAnswer):
        _decode(answers_by_cell(raw), 1, "x")


def test_a_blob_sent_twice_keeps_its_first_text():
    raw = _frames(A.BlobSender(), [(1, ["x"], {"x": np.arange(10)})])
    digest = raw["answers"][0]["values"]["x"]["npy"][1:]
    forged = A._npy(np.zeros(3), A.Budget())
    raw["answers"].append({"index": 2, "values": {"x": {"t": "array", "npy": "@" + digest}}, "blobs": {digest: forged}})
    got = answers_by_cell(raw)
    np.testing.assert_array_equal(_decode(got, 2, "x"), np.arange(10))


def test_each_cell_gets_its_own_copy_of_a_shared_blob():
    raw = _frames(A.BlobSender(), [(1, ["x"], {"x": np.arange(10.0)}), (2, ["x"], {"x": np.arange(10.0)})])
    got = answers_by_cell(raw)
    table = A.BlobTable(got.blobs)
    first = A.decode_value(got.values[1]["x"], "x", blobs=table)
    first[:] = -1  # a rule working in place
    np.testing.assert_array_equal(A.decode_value(got.values[2]["x"], "x", blobs=table), np.arange(10.0))


def test_a_hand_over_too_big_is_not_sent_and_forgets_its_blobs(monkeypatch):
    monkeypatch.setattr(A.Budget.__init__, "__defaults__", (10_000,))
    sender = A.BlobSender()
    big = np.zeros(5_000)
    values = A.encode_answers(["small", "big"], {"small": np.arange(3), "big": big}, sender=sender)
    assert values == {"small": {"t": "too_big"}, "big": {"t": "too_big"}}
    assert sender.flush() == {} and sender.sent == set()
    # the small array, handed over later alone, travels in full (its earlier blob was dropped)
    A.encode_answers(["small"], {"small": np.arange(3)}, sender=sender)
    assert len(sender.flush()) == 1


def test_inline_blobs_still_read_without_a_table():
    """Practice grading in the kernel encodes without a sender: arrays inline, as base64."""
    doc = A.encode_value(_table(20))
    assert not doc["data"][0].startswith("@")
    assert A.decode_value(doc, "t").shape == (20, 3)


@pytest.mark.parametrize("doc", [{"t": "array", "npy": "@"}, {"t": "array", "npy": "@zz"}, {"t": "array", "npy": 3},
                                 {"t": "array", "npy": "not base64!"}])
def test_unreadable_arrays_are_altered_answers(doc):
    with pytest.raises(BadAnswer):
        A.decode_value(doc, "x", blobs=A.BlobTable({"zz": "!!"}))
