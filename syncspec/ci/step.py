"""The Action's main step: run one syncspec command the way CI needs it, and say what it came to.

`python -m syncspec.ci.step COMMAND [--environment ENV] [--plan-file FILE] [--out-dir DIR] [-- ARGS]`

- validate: `--format sarif` into DIR/syncspec.sarif (for code scanning), then `--format github`
  (annotations on the diff).
- plan: `--detailed-exitcode --out DIR/plan.json --output markdown` into DIR/comment.md (the PR
  comment and the step summary); the plan file is the artifact the apply job applies.
- apply: `apply PLAN_FILE --output json`: exactly the reviewed plan, refused by syncspec when stale.
- drift: `--output markdown` into DIR/comment.md.

The step's outputs ($GITHUB_OUTPUT): `exit-code`, `changes`, `comment-file`, `sarif-file`,
`plan-file`; the summary ($GITHUB_STEP_SUMMARY) gets the outcome and the markdown. It exits 0 when
the outcome passed (0, or 2 where changes are documented) and 1 otherwise: a usage error (64) is
never success.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from syncspec.ci.outcome import COMMANDS, Outcome, outcome

SYNCSPEC = (sys.executable, "-m", "syncspec")


@dataclass(frozen=True)
class StepResult:
    code: int
    outcome: Outcome
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def run_step(
    command: str,
    *,
    environment: str,
    plan_file: Path | None,
    out_dir: Path,
    extra: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
) -> StepResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    selection = ["-e", environment] if environment else []
    outputs: dict[str, str] = {}
    markdown = ""
    if command == "validate":
        sarif = out_dir / "syncspec.sarif"
        _run([*SYNCSPEC, "validate", "--format", "sarif", *extra], env, cwd, stdout_to=sarif)
        outputs["sarif-file"] = str(sarif)
        code = _run([*SYNCSPEC, "validate", "--format", "github", *extra], env, cwd)
    elif command == "plan":
        plan = out_dir / "plan.json"
        comment = out_dir / "comment.md"
        args = ["plan", "--detailed-exitcode", "--out", str(plan), "--output", "markdown", *selection, *extra]
        code = _run([*SYNCSPEC, *args], env, cwd, stdout_to=comment)
        outputs.update({"plan-file": str(plan), "comment-file": str(comment)})
        markdown = _read(comment)
    elif command == "apply":
        if plan_file is None:
            raise ValueError("apply needs --plan-file: the reviewed plan, never a fresh one")
        code = _run([*SYNCSPEC, "apply", str(plan_file), "--output", "json", *extra], env, cwd)
    elif command == "drift":
        comment = out_dir / "comment.md"
        args = ["drift", "--output", "markdown", *selection, *extra]
        code = _run([*SYNCSPEC, *args], env, cwd, stdout_to=comment)
        outputs["comment-file"] = str(comment)
        markdown = _read(comment)
    else:
        raise ValueError(f"unknown command {command!r}; one of {', '.join(COMMANDS)}")
    result = outcome(command, code)
    outputs.update({"exit-code": str(code), "changes": "true" if result.changes else "false"})
    summary = f"### {result.summary}\n\n{markdown}"
    return StepResult(0 if result.passed else 1, result, outputs, summary)


def _run(argv: Sequence[str], env: Mapping[str, str], cwd: Path, *, stdout_to: Path | None = None) -> int:
    """syncspec as a separate process: stderr (notes, errors) stays in the job log."""
    if stdout_to is None:
        return subprocess.run(list(argv), env=dict(env), cwd=cwd, check=False).returncode
    with stdout_to.open("w", encoding="utf-8") as stream:
        return subprocess.run(list(argv), env=dict(env), cwd=cwd, stdout=stream, check=False).returncode


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def write_github_files(result: StepResult, env: Mapping[str, str]) -> None:
    """Append the outputs and the summary to the files GitHub names (when it names them)."""
    if env.get("GITHUB_OUTPUT"):
        with Path(env["GITHUB_OUTPUT"]).open("a", encoding="utf-8") as stream:
            for key, value in result.outputs.items():
                stream.write(f"{key}={value}\n")
    if env.get("GITHUB_STEP_SUMMARY"):
        with Path(env["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as stream:
            stream.write(result.summary.rstrip("\n") + "\n")


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(prog="python -m syncspec.ci.step")
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--environment", default="")
    parser.add_argument("--plan-file", type=Path)
    parser.add_argument("--out-dir", type=Path, default=Path("syncspec-out"))
    argv = list(sys.argv[1:] if argv is None else argv)
    # everything after `--` goes to syncspec as it is (argparse would read it as its own)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    env = dict(os.environ if env is None else env)
    if args.command == "apply" and args.plan_file is None:
        print("::error::syncspec apply in CI needs plan-file: the reviewed plan artifact", file=sys.stderr)
        return 1
    result = run_step(
        args.command,
        environment=args.environment,
        plan_file=args.plan_file,
        out_dir=args.out_dir,
        extra=extra,
        env=env,
        cwd=Path.cwd(),
    )
    write_github_files(result, env)
    level = "error" if not result.outcome.passed else "warning" if result.outcome.warning else "notice"
    print(f"::{level}::{result.outcome.summary}")
    return result.code


if __name__ == "__main__":
    sys.exit(main())
