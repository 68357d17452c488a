"""`calmline analyze`: read, analyse and report, one call at a time; a bad file is
reported and skipped, never fatal to the others."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from calmline.detectors.pipeline import DetectorPipeline
from calmline.engine import analyze
from calmline.errors import CalmlineError, ErrorCode
from calmline.playbook import Playbook
from calmline.render import report_to_markdown
from calmline.report import Report
from calmline.terminal import print_report

SUFFIX = {"text": ".txt", "json": ".json", "md": ".md"}


def run_analyze(
    files: list[Path], output: str, playbook: Playbook, out_dir: Path | None,
    input_format: str | None, out: Console, err: Console,
    pipeline: DetectorPipeline | None = None,
) -> int:
    """Analyse every call in ``files``; return how many inputs failed."""
    from calmline.formats import read_conversations

    failures = 0
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    for path in transcript_files(files):
        try:
            for conversation in read_conversations(path, input_format):
                emit(analyze(conversation, playbook, pipeline), output, out_dir, out)
        except CalmlineError as exc:
            failures += 1
            err.print(f"[bold red]error[/] {exc.message}", highlight=False, soft_wrap=True)
    return failures


def transcript_files(paths: list[Path]) -> list[Path]:
    """The files to read: each file as given, and a folder's transcripts (by extension),
    sorted, so ``calmline analyze calls/`` works."""
    from calmline.formats import FORMATS

    known = {ext for info in FORMATS.values() for ext in info.extensions}
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in known)
        if not inside:
            raise CalmlineError("no transcript files in this folder", source=str(path),
                                code=ErrorCode.E003_EMPTY,
                                hint=f"looked for {', '.join(sorted(known))}")
        found.extend(inside)
    return found


def emit(report: Report, output: str, out_dir: Path | None, out: Console) -> None:
    """Print the report, or write it under ``out_dir``."""
    if out_dir is None:
        if output == "json":
            out.print(report.to_json(indent=None), highlight=False, soft_wrap=True, markup=False)
        elif output == "md":
            out.print(report_to_markdown(report), highlight=False, soft_wrap=True, markup=False)
        else:
            print_report(out, report)
        return
    target = out_dir / (_safe_name(report.conversation_id) + SUFFIX[output])
    if output == "json":
        target.write_text(report.to_json() + "\n", encoding="utf-8")
    elif output == "md":
        target.write_text(report_to_markdown(report), encoding="utf-8")
    else:
        with target.open("w", encoding="utf-8") as handle:
            print_report(Console(file=handle, width=120, color_system=None), report)
    out.print(f"wrote {target}", highlight=False)


def _safe_name(conversation_id: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in conversation_id)
    return cleaned.strip(".") or "call"
