"""calmline eval: labelled-data reading with clear errors, and correct P/R/F1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from calmline.engine import default_pipeline
from calmline.errors import LabelledDataError
from calmline.evaluation import LabelCounts, evaluate
from calmline.labelled import read_labelled, read_scope


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "precision", "recall", "f1"),
    [(8, 2, 2, 0.8, 0.8, 0.8), (0, 0, 0, 0.0, 0.0, 0.0), (5, 0, 5, 1.0, 0.5, 2 / 3),
     (0, 3, 0, 0.0, 0.0, 0.0)],
)
def test_label_counts(tp: int, fp: int, fn: int, precision: float, recall: float,
                      f1: float) -> None:
    counts = LabelCounts(tp, fp, fn)
    assert (counts.precision, counts.recall) == pytest.approx((precision, recall))
    assert counts.f1 == pytest.approx(f1)
    assert counts.support == tp + fn


def _write(tmp_path: Path, rows: list[dict[str, object]], scope: dict[str, object] | None) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    if scope is not None:
        (tmp_path / "set.scope.json").write_text(json.dumps(scope), encoding="utf-8")
    return path


def test_evaluate_counts_hits_misses_and_false_alarms(tmp_path: Path) -> None:
    rows = [
        {"role": "agent", "text": "Please calm down.", "labels": ["dismissive"]},
        {"role": "agent", "text": "There's nothing I can do about it.", "labels": []},
        {"role": "agent", "text": "Thanks for waiting.", "labels": ["dismissive"]},
        {"role": "customer", "text": "Calm down yourself.", "labels": ["dismissive"]},
    ]
    path = _write(tmp_path, rows, {"role": "agent", "labels": ["dismissive"]})
    result = evaluate(default_pipeline(), read_labelled(path), read_scope(path))
    counts = result.labels["dismissive"]
    assert result.utterances == 3  # the customer row is out of scope
    assert (counts.true_positive, counts.false_positive, counts.false_negative) == (1, 1, 1)
    assert set(result.labels) == {"dismissive"}


def test_without_scope_every_public_label_of_the_role_is_scored(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"role": "customer", "text": "Thank you so much!",
                              "labels": ["satisfaction"]}], None)
    result = evaluate(default_pipeline(), read_labelled(path), None)
    assert "abuse" in result.labels and "empathy" not in result.labels
    assert result.labels["satisfaction"].true_positive == 1


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"role": "agent", "text": "hi", "labels": ["empathy"]', "invalid JSON"),
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"role": "robot", "text": "hi", "labels": []}', "role 'robot'"),
        ('{"role": "agent", "text": "", "labels": []}', "'text' must be a non-empty string"),
        ('{"role": "agent", "text": "hi", "labels": "empathy"}', "'labels' must be a list"),
        ('{"role": "agent", "text": "hi", "labels": ["kindness"]}', "unknown label(s): kindness"),
        ('{"role": "agent", "text": "hi", "labels": [], "context": [{"role": "agent"}]}',
         "context[0]"),
    ],
)
def test_bad_labelled_line_names_file_line_and_problem(tmp_path: Path, line: str,
                                                      problem: str) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"role": "agent", "text": "ok", "labels": []}\n' + line + "\n",
                    encoding="utf-8")
    with pytest.raises(LabelledDataError) as caught:
        list(read_labelled(path))
    assert "x.jsonl" in caught.value.message and "line 2" in caught.value.message
    assert problem in caught.value.message


def test_non_utf8_labelled_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"role": "agent", "text": "caf\xe9", "labels": []}\n')
    with pytest.raises(LabelledDataError, match="not UTF-8"):
        list(read_labelled(path))


def test_bad_scope_file(tmp_path: Path) -> None:
    path = _write(tmp_path, [], {"role": "agent", "labels": ["nope"]})
    with pytest.raises(LabelledDataError, match="unknown label"):
        read_scope(path)


def test_reader_streams_lines_before_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"role": "agent", "text": "one", "labels": []}\n{broken\n', encoding="utf-8")
    stream = read_labelled(path)
    assert next(stream).text == "one"
    with pytest.raises(LabelledDataError):
        next(stream)


def test_evaluate_counts_each_utterance_and_the_context_turns_read_before_it(
        tmp_path: Path) -> None:
    context = [{"role": r, "text": f"turn {i}"} for i, r in
               enumerate(["customer", "agent", "customer", "agent", "customer", "agent"])]
    rows = [
        {"role": "agent", "text": "How can I help?", "labels": []},
        {"role": "agent", "text": "I can refund it.", "labels": ["solution"],
         "context": context[:2]},
        {"role": "agent", "text": "I'm sorry.", "labels": ["apology"], "context": context},
    ]
    path = _write(tmp_path, rows, None)
    result = evaluate(default_pipeline(), read_labelled(path), None)
    # 1 + (1 + 2) + (1 + the last four of six context turns)
    assert (result.utterances, result.turns) == (3, 9)
    assert result.turns_per_second == pytest.approx(3 * result.utterances_per_second)


def test_a_loaded_pipeline_has_its_models_and_word_lists_in_memory() -> None:
    from calmline.engine import build_pipeline

    pipeline = build_pipeline()
    pipeline.load()
    loaded = vars(pipeline.resources)
    assert {"nlp", "_word_tokenizer", "_valence_model"} <= set(loaded)
    lexicons = [d for d in pipeline.detectors if d.name.startswith("lexicon.")]
    assert lexicons and all("_matcher" in vars(d) for d in lexicons)


def test_evaluate_by_a_tag_counts_each_group_over_the_labels_present_in_it(
        tmp_path: Path) -> None:
    rows = [
        {"role": "agent", "text": "Please calm down.", "labels": ["dismissive"], "register": "terse"},
        {"role": "agent", "text": "I'm so sorry we charged you twice.", "labels": ["apology"],
         "register": "formal"},
        {"role": "agent", "text": "There's nothing I can do about it.", "labels": [],
         "register": "formal"},
        {"role": "agent", "text": "Let me check that for you.", "labels": ["dismissive"]},
    ]
    scope = {"role": "agent", "labels": ["dismissive", "apology"]}
    path = _write(tmp_path, rows, scope)
    result = evaluate(default_pipeline(), read_labelled(path), read_scope(path), by="register")
    assert set(result.groups) == {"terse", "formal", "(none)"}
    assert {v: g.utterances for v, g in result.groups.items()} == {
        "terse": 1, "formal": 2, "(none)": 1}
    terse, untagged = result.groups["terse"], result.groups["(none)"]
    assert set(terse.labels) == {"dismissive"}  # apology never came up in that group
    assert terse.labels["dismissive"].true_positive == 1 and terse.macro_f1 == 1.0
    assert untagged.labels["dismissive"].false_negative == 1 and untagged.macro_f1 == 0.0
    assert result.groups["formal"].labels["apology"].true_positive == 1
    # the groups add up to the whole set, label by label
    for label, counts in result.labels.items():
        assert counts.true_positive == sum(g.labels[label].true_positive
                                           for g in result.groups.values() if label in g.labels)
    assert set(result.to_dict()["groups"]) == {"terse", "formal", "(none)"}  # type: ignore[arg-type]


def test_a_group_where_no_label_came_up_has_no_macro_f1(tmp_path: Path) -> None:
    rows = [{"role": "agent", "text": "Let me check that.", "labels": [], "register": "terse"},
            {"role": "agent", "text": "Please calm down.", "labels": ["dismissive"],
             "register": "formal"}]
    path = _write(tmp_path, rows, {"role": "agent", "labels": ["dismissive"]})
    groups = evaluate(default_pipeline(), read_labelled(path), read_scope(path),
                      by="register").to_dict()["groups"]
    assert groups["terse"]["macro_f1"] is None  # type: ignore[index]
    assert groups["formal"]["macro_f1"] == 1.0  # type: ignore[index]


def test_tags_are_the_other_string_fields_of_a_line(tmp_path: Path) -> None:
    rows = [{"role": "customer", "text": "hi", "labels": [], "register": "stt",
             "domain": "telecom", "turn": 3, "extra": {"a": 1}}]
    (utterance,) = read_labelled(_write(tmp_path, rows, None))
    assert utterance.tags == (("register", "stt"), ("domain", "telecom"))
    assert utterance.tag("domain") == "telecom" and utterance.tag("turn") is None
