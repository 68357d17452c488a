"""`calmline practice`: a practice call in the terminal, its debrief, and the trainer's
view of stored sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from calmline.simulator import CustomerLine, PracticeSession, Scenario, debrief
from calmline.simulator.debrief import Debrief
from calmline.temperature import HEATED, HOT

GAUGE_WIDTH = 20
COMMANDS = "/hint for advice, /gauge to show or hide the temper gauge, /quit to end"


def gauge(temper: float) -> Text:
    """The customer's temper as a coloured bar."""
    filled = round(temper / 100 * GAUGE_WIDTH)
    colour = "red" if temper >= HOT else "yellow" if temper >= HEATED else "green"
    bar = Text("temper ")
    bar.append("█" * filled, style=colour)
    bar.append("░" * (GAUGE_WIDTH - filled), style="dim")
    bar.append(f" {temper:.0f}")
    return bar


def scenario_table(scenarios: dict[str, Scenario]) -> Table:
    table = Table(title="Practice scenarios")
    for column in ("#", "id", "level", "title", "customer"):
        table.add_column(column, overflow="fold")
    for number, s in enumerate(scenarios.values(), 1):
        table.add_row(str(number), s.id, str(s.level), s.title, s.persona.name)
    return table


class PracticeCall:
    """The terminal loop: the customer's lines, the trainee's input, the commands."""

    def __init__(self, session: PracticeSession, console: Console, show_gauge: bool = True,
                 read_line: Callable[[str], str] | None = None) -> None:
        self.session = session
        self.console = console
        self.show_gauge = show_gauge
        self.read_line = read_line or console.input

    def run(self) -> Debrief:
        scenario = self.session.scenario
        self.console.print(Panel(scenario.brief, title=f"{scenario.title} — {scenario.persona.name}",
                                 subtitle=COMMANDS))
        self._say(self.session.opening)
        while not self.session.finished:
            try:
                text = self.read_line("[bold cyan]you>[/] ")
            except EOFError:
                text = "/quit"
            if not self._command(text.strip()):
                self._say(self.session.reply(text))
        return debrief(self.session)

    def _command(self, text: str) -> bool:
        """Handle a /command or an empty line; False when ``text`` is the trainee's turn."""
        if not text:
            return True
        if not text.startswith("/"):
            return False
        name = text.split()[0].lower()
        if name in {"/quit", "/q", "/exit"}:
            self.session.quit()
        elif name == "/hint":
            self._hint()
        elif name == "/gauge":
            self.show_gauge = not self.show_gauge
            self.console.print(f"[dim]gauge {'shown' if self.show_gauge else 'hidden'}[/]")
            if self.show_gauge:
                self.console.print(gauge(self.session.temper))
        else:
            self.console.print(f"[dim]unknown command {escape(name)}; {COMMANDS}[/]", highlight=False)
        return True

    def _hint(self) -> None:
        nudges = self.session.new_nudges()
        for nudge in nudges:
            self.console.print(f"[magenta]hint[/] {escape(nudge)}", highlight=False)
        if not nudges:
            self.console.print(f"[magenta]hint[/] {escape(self.session.scenario.hint)}", highlight=False)

    def _say(self, line: CustomerLine) -> None:
        name = self.session.scenario.persona.name
        self.console.print(Text.assemble((f"{name}: ", "bold"), line.text))
        if self.show_gauge:
            self.console.print(gauge(line.temper))
        if self.session.finished:
            self.console.print(f"[bold]— call ended: {line.outcome.value.replace('_', ' ')} —[/]")


def print_debrief(result: Debrief, console: Console) -> None:
    """The debrief: outcome, score, the temper curve with its causes, and advice."""
    console.print(Panel(f"outcome: [bold]{result.outcome.value.replace('_', ' ')}[/]   "
                        f"score: [bold]{result.score}[/]/100   temper {result.start_temper:.0f} → "
                        f"{result.end_temper:.0f}"
                        + ("   (the customer asked for a manager)" if result.manager_demanded else ""),
                        title=f"Debrief — {result.title}"))
    table = Table(title="Temper curve")
    for column in ("turn", "you said", "temper", "what moved it"):
        table.add_column(column, overflow="fold")
    for point in result.curve:
        moved = ", ".join(f"{m.cause} {m.delta:+.0f}" for m in point.moves) or "nothing"
        table.add_row(str(point.turn_index), Text(point.text), f"{point.before:.0f} → {point.after:.0f}",
                      moved)
    console.print(table)
    if result.helpful_moves:
        console.print("[bold]Moves that would have helped[/]")
        for advice in result.helpful_moves:
            console.print(Text(f"  • {advice}"))


def print_trainer_report(directory: Path | None, console: Console) -> int:
    """The trainer's view: every stored session and progress per trainee and scenario."""
    from calmline.simulator.store import load_sessions, practice_dir, progress

    sessions, problems = load_sessions(directory)
    for problem in problems:
        console.print(f"[yellow]skipped[/] {escape(problem)}", highlight=False)
    if not sessions:
        console.print(Text(f"no practice sessions in {practice_dir(directory)}"))
        return len(problems)
    table = Table(title="Practice sessions")
    # Trainee and scenario ids are what a trainer scans for: never wrap them.
    widths = {"trainee": max(len(s.trainee) for s in sessions),
              "scenario": max(len(s.scenario_id) for s in sessions)}
    for column in ("finished", "trainee", "scenario", "outcome", "score", "temper", "turns"):
        table.add_column(column, overflow="fold", min_width=widths.get(column))
    for s in sessions:
        table.add_row(s.finished_at[:16].replace("T", " "), Text(s.trainee), Text(s.scenario_id),
                      s.outcome, str(s.score), f"{s.start_temper:.0f} → {s.end_temper:.0f}",
                      str(s.turns))
    console.print(table)
    board = Table(title="Progress per scenario")
    for column in ("trainee", "scenario", "attempts", "resolved", "best", "last", "last outcome"):
        board.add_column(column, overflow="fold", min_width=widths.get(column))
    for p in progress(sessions):
        board.add_row(Text(p.trainee), Text(p.scenario_id), str(p.attempts), str(p.resolved),
                      str(p.best_score), str(p.last_score), p.last_outcome)
    console.print(board)
    return len(problems)


def run_practice_command(args: list[str], seed: int | None, trainee: str | None,
                         directory: Path | None, show_gauge: bool, save: bool, llm_url: str | None,
                         llm_model: str, console: Console) -> int:
    """Dispatch `calmline practice ARGS`; return the exit code."""
    from calmline.simulator import curriculum

    if args[:1] == ["list"]:
        console.print(scenario_table(curriculum()))
        return 0
    if args[:1] == ["report"]:
        return 1 if print_trainer_report(directory, console) else 0
    if args[:1] == ["validate"]:
        return _validate(args[1:], console)
    if len(args) > 1:
        console.print(f"[red]too many arguments[/] {escape(' '.join(args))}; give one scenario",
                      highlight=False)
        return 2
    name = args[0] if args else _choose(console)
    return _practise(name, seed, trainee, directory, show_gauge, save, llm_url, llm_model, console)


def _practise(name: str, seed: int | None, trainee: str | None, directory: Path | None,
              show_gauge: bool, save: bool, llm_url: str | None, llm_model: str,
              console: Console) -> int:
    import getpass
    import secrets

    from calmline.simulator import start_practice

    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    trainee = trainee or getpass.getuser()
    with console.status("loading the detectors…"):
        session = start_practice(name, seed=seed, trainee=trainee, llm_url=llm_url, llm_model=llm_model)
    console.print(f"[dim]seed {seed} — the same seed replays the same customer[/]", highlight=False)
    result = PracticeCall(session, console, show_gauge).run()
    print_debrief(result, console)
    if session.backend_failures:
        console.print(f"[yellow]{len(session.backend_failures)} line(s) written offline: "
                      f"{escape(session.backend_failures[0])}[/]", highlight=False)
    if save:
        from calmline.simulator.store import save_session

        console.print(Text(f"saved {save_session(result, directory)}"))
    return 0


def _choose(console: Console) -> str:
    from calmline.simulator import curriculum

    scenarios = list(curriculum())
    console.print(scenario_table(curriculum()))
    answer = console.input("scenario number or id> ").strip()
    if answer.isdigit() and 1 <= int(answer) <= len(scenarios):
        return scenarios[int(answer) - 1]
    return answer


def _validate(files: list[str], console: Console) -> int:
    from calmline.simulator import ScenarioError, load_scenario

    if not files:
        console.print("[red]give the scenario file(s) to check[/]")
        return 2
    failed = 0
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as exc:
            failed += 1
            console.print(f"[bold red]invalid[/] {escape(file)}: {len(exc.issues)} problem(s)",
                          highlight=False)
            for issue in exc.issues:
                console.print(Text(f"  - {issue}"), soft_wrap=True)
            continue
        console.print(f"[green]valid[/] {escape(file)}: {scenario.id} — {escape(scenario.title)}",
                      highlight=False)
    return 1 if failed else 0
