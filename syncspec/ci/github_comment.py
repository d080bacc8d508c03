"""One sticky pull-request comment: found again by a hidden marker and edited in place, never duplicated.

GitHub's REST API: list the issue's comments (`GET /repos/{repo}/issues/{n}/comments`, paged, the
next page named in the `Link` header), then `PATCH /repos/{repo}/issues/comments/{id}` the one whose
body starts with the marker, or `POST` a new one. Only comments whose body starts with the marker
are ever touched. The token goes only into the Authorization header and is never printed: an error
names the method, the path and GitHub's status and message.

`python -m syncspec.ci.github_comment --body-file plan.md` reads GITHUB_TOKEN, GITHUB_REPOSITORY,
GITHUB_API_URL (GitHub Enterprise) and the pull request's number from the event file GitHub
writes (GITHUB_EVENT_PATH), unless `--issue N` names it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

DEFAULT_MARKER = "<!-- syncspec-plan -->"
MAX_BODY = 65_536  # GitHub refuses longer comment bodies
MAX_PAGES = 100  # 10,000 comments at 100 a page: a bound, not a limit anyone meets
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubError(Exception):
    """GitHub answered with an error status (or something that is not a comment list)."""


@dataclass(frozen=True)
class CommentTarget:
    api_url: str  # https://api.github.com, or an Enterprise server's /api/v3
    repository: str  # owner/name
    issue: int


@dataclass(frozen=True)
class Posted:
    action: str  # "created" or "updated"
    comment_id: int
    url: str


def marked_body(marker: str, body: str) -> str:
    """The marker first (that is how the comment is found again), the body cut to GitHub's limit."""
    text = f"{marker}\n{body}"
    if len(text) <= MAX_BODY:
        return text
    note = "\n\n_(cut at GitHub's comment limit; the full output is in the job's step summary)_\n"
    return text[: MAX_BODY - len(note)] + note


def upsert_comment(
    client: httpx.Client, target: CommentTarget, body: str, *, marker: str = DEFAULT_MARKER
) -> Posted:
    base = f"{target.api_url.rstrip('/')}/repos/{target.repository}"
    text = marked_body(marker, body)
    existing = _find_marked(client, f"{base}/issues/{target.issue}/comments", marker)
    if existing is not None:
        answer = _call(client, "PATCH", f"{base}/issues/comments/{existing}", {"body": text})
        return Posted("updated", int(answer["id"]), str(answer.get("html_url", "")))
    answer = _call(client, "POST", f"{base}/issues/{target.issue}/comments", {"body": text})
    return Posted("created", int(answer["id"]), str(answer.get("html_url", "")))


def _find_marked(client: httpx.Client, url: str, marker: str) -> int | None:
    next_url: str | None = f"{url}?per_page=100"
    for _ in range(MAX_PAGES):
        if next_url is None:
            return None
        response = client.get(next_url)
        comments = _json(response, "GET", url)
        if not isinstance(comments, list):
            raise GitHubError(f"GET {_path(url)}: expected a list of comments")
        for comment in comments:
            if isinstance(comment, dict) and str(comment.get("body") or "").startswith(marker):
                return int(comment["id"])
        match = _NEXT.search(response.headers.get("link", ""))
        next_url = match.group(1) if match else None
    raise GitHubError(f"GET {_path(url)}: more than {MAX_PAGES} pages of comments")


def _call(client: httpx.Client, method: str, url: str, payload: Mapping[str, str]) -> dict[str, Any]:
    answer = _json(client.request(method, url, json=payload), method, url)
    if not isinstance(answer, dict) or "id" not in answer:
        raise GitHubError(f"{method} {_path(url)}: the answer is not a comment")
    return answer


def _json(response: httpx.Response, method: str, url: str) -> Any:
    if response.status_code >= 400:
        try:
            message = str(response.json().get("message", ""))
        except (ValueError, AttributeError):
            message = response.text[:200]
        raise GitHubError(f"{method} {_path(url)}: HTTP {response.status_code} {message}".rstrip())
    try:
        return response.json()
    except ValueError as exc:
        raise GitHubError(f"{method} {_path(url)}: the answer is not JSON") from exc


def _path(url: str) -> str:
    return httpx.URL(url).path


def client_for(token: str, *, timeout: float = 30.0) -> httpx.Client:
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "syncspec-ci",
    }
    return httpx.Client(headers=headers, timeout=timeout, follow_redirects=False)


def target_from_environment(env: Mapping[str, str], issue: int | None) -> CommentTarget:
    repository = env.get("GITHUB_REPOSITORY", "")
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
        raise GitHubError("GITHUB_REPOSITORY is not set to owner/name")
    if issue is None:
        issue = _pull_request_number(env.get("GITHUB_EVENT_PATH", ""))
    return CommentTarget(env.get("GITHUB_API_URL", "https://api.github.com"), repository, issue)


def _pull_request_number(event_path: str) -> int:
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        return int(event["pull_request"]["number"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GitHubError(
            "no pull request number: not a pull_request event (GITHUB_EVENT_PATH), and no --issue"
        ) from exc


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m syncspec.ci.github_comment", description=__doc__)
    parser.add_argument("--body-file", type=Path, required=True)
    parser.add_argument("--marker", default=DEFAULT_MARKER, help="hidden marker (an HTML comment)")
    parser.add_argument("--issue", type=int, help="pull request number (default: from GITHUB_EVENT_PATH)")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    if not re.fullmatch(r"<!--[^>]*-->", args.marker):
        print("error: --marker must be an HTML comment, such as <!-- syncspec-plan -->", file=sys.stderr)
        return 64
    token = env.get("GITHUB_TOKEN", "")
    if not token:
        print("error: GITHUB_TOKEN is not set", file=sys.stderr)
        return 64
    try:
        body = args.body_file.read_text(encoding="utf-8")
        target = target_from_environment(env, args.issue)
        with client_for(token) as client:
            posted = upsert_comment(client, target, body, marker=args.marker)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.body_file}: {exc}", file=sys.stderr)
        return 1
    except (GitHubError, httpx.HTTPError) as exc:
        print(f"error: the pull-request comment was not posted: {exc}", file=sys.stderr)
        return 1
    print(f"comment {posted.action}: {posted.url or posted.comment_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
