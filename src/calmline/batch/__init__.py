"""Scoring whole archives: one pure scoring function (:func:`score_transcript`) run on every
local core by ``calmline batch`` and on a cluster by :mod:`calmline.batch.spark`.

Needs the ``[batch]`` extra (pyarrow); Spark needs ``[spark]``."""

from calmline.batch.row import Scored, ScoreError, Scorer, call_row, columns, score_transcript
from calmline.batch.transcript import Transcript, conversations_in

__all__ = [
    "ScoreError",
    "Scored",
    "Scorer",
    "Transcript",
    "call_row",
    "columns",
    "conversations_in",
    "score_transcript",
]
