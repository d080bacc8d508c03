"""The sticky comment against a local fake of GitHub's REST API on 127.0.0.1: create, then update
the same comment; comments spread over pages; error statuses; the token never printed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from syncspec.ci.github_comment import (
    DEFAULT_MARKER,
    MAX_BODY,
    CommentTarget,
    GitHubError,
    client_for,
    main,
    upsert_comment,
)

TOKEN = "ghs_test-token-never-printed"
REPO = "acme/crm-config"


@dataclass
class FakeGitHub:
    """Issue comments of one repository, paged like GitHub (per_page, Link rel="next")."""

    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail: dict[tuple[str, str], int] = field(default_factory=dict)  # (method, path prefix) -> status
    next_id: int = 1000
    url: str = ""

    def add(self, issue: int, body: str, user: str = "someone") -> int:
        self.next_id += 1
        self.comments.setdefault(issue, []).append(
            {"id": self.next_id, "body": body, "user": {"login": user}}
        )
        return self.next_id


def _handler(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _checked(self, method: str) -> str | None:
            path = urlsplit(self.path).path
            fake.requests.append((method, self.path))
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._reply(401, {"message": "Bad credentials"})
                return None
            for (fail_method, prefix), status in fake.fail.items():
                if method == fail_method and path.startswith(prefix):
                    self._reply(status, {"message": f"fake failure {status}"})
                    return None
            return path

        def do_GET(self) -> None:
            path = self._checked("GET")
            if path is None:
                return
            parts = path.split("/")  # /repos/acme/crm-config/issues/7/comments
            if parts[1:5] != ["repos", *REPO.split("/"), "issues"] or parts[6:] != ["comments"]:
                self._reply(404, {"message": "Not Found"})
                return
            query = parse_qs(urlsplit(self.path).query)
            per_page = int(query.get("per_page", ["30"])[0])
            page = int(query.get("page", ["1"])[0])
            everything = fake.comments.get(int(parts[5]), [])
            chunk = everything[(page - 1) * per_page : page * per_page]
            headers = {}
            if page * per_page < len(everything):
                headers["Link"] = f'<{fake.url}{path}?per_page={per_page}&page={page + 1}>; rel="next"'
            self._reply(200, chunk, headers)

        def _body(self) -> str:
            length = int(self.headers.get("Content-Length", "0"))
            return str(json.loads(self.rfile.read(length))["body"])

        def do_POST(self) -> None:
            path = self._checked("POST")
            if path is None:
                return
            issue = int(path.split("/")[5])
            new_id = fake.add(issue, self._body(), user="github-actions[bot]")
            self._reply(
                201, {"id": new_id, "html_url": f"https://github.example/{REPO}/pull/{issue}#c{new_id}"}
            )

        def do_PATCH(self) -> None:
            path = self._checked("PATCH")
            if path is None:
                return
            comment_id = int(path.rsplit("/", 1)[1])
            for comments in fake.comments.values():
                for comment in comments:
                    if comment["id"] == comment_id:
                        comment["body"] = self._body()
                        self._reply(
                            200, {"id": comment_id, "html_url": f"https://github.example/c{comment_id}"}
                        )
                        return
            self._reply(404, {"message": "Not Found"})

    return Handler


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    fake = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _target(fake: FakeGitHub, issue: int = 7) -> CommentTarget:
    return CommentTarget(fake.url, REPO, issue)


def test_first_run_creates_then_later_runs_update_the_same_comment(github: FakeGitHub) -> None:
    github.add(7, "LGTM")
    with client_for(TOKEN) as client:
        first = upsert_comment(client, _target(github), "plan: 3 changes")
        second = upsert_comment(client, _target(github), "plan: 1 change")
    assert (first.action, second.action) == ("created", "updated")
    assert first.comment_id == second.comment_id
    bodies = [c["body"] for c in github.comments[7]]
    assert bodies == ["LGTM", f"{DEFAULT_MARKER}\nplan: 1 change"]


def test_the_marked_comment_is_found_on_a_later_page(github: FakeGitHub) -> None:
    for n in range(250):
        github.add(7, f"review comment {n}")
    mine = github.add(7, f"{DEFAULT_MARKER}\nold plan")
    github.add(7, "after")
    with client_for(TOKEN) as client:
        posted = upsert_comment(client, _target(github), "new plan")
    assert posted == posted.__class__("updated", mine, f"https://github.example/c{mine}")
    pages = [path for method, path in github.requests if method == "GET"]
    assert len(pages) == 3 and "page=3" in pages[-1]
    assert len(github.comments[7]) == 252


def test_a_comment_that_only_mentions_the_marker_is_left_alone(github: FakeGitHub) -> None:
    quoted = github.add(7, f"> {DEFAULT_MARKER}\n> quoted by a reviewer")
    with client_for(TOKEN) as client:
        posted = upsert_comment(client, _target(github), "plan")
    assert posted.action == "created" and posted.comment_id != quoted
    assert github.comments[7][0]["body"].startswith("> ")


def test_a_body_over_githubs_limit_is_cut_with_a_note(github: FakeGitHub) -> None:
    with client_for(TOKEN) as client:
        upsert_comment(client, _target(github), "x" * (MAX_BODY * 2))
    body = github.comments[7][0]["body"]
    assert len(body) <= MAX_BODY and body.startswith(DEFAULT_MARKER) and "comment limit" in body


@pytest.mark.parametrize(
    ("method", "prefix", "status"),
    [("GET", "/repos", 403), ("POST", "/repos", 422), ("GET", "/repos", 500), ("PATCH", "/repos", 404)],
)
def test_error_statuses_become_one_clear_error(
    github: FakeGitHub, method: str, prefix: str, status: int
) -> None:
    if method == "PATCH":
        github.add(7, f"{DEFAULT_MARKER}\nold")
    github.fail[(method, prefix)] = status
    with client_for(TOKEN) as client, pytest.raises(GitHubError) as caught:
        upsert_comment(client, _target(github), "plan")
    message = str(caught.value)
    assert f"HTTP {status}" in message and f"fake failure {status}" in message and method in message
    assert TOKEN not in message


def test_bad_credentials_are_reported_without_the_token(github: FakeGitHub) -> None:
    with client_for("wrong-token") as client, pytest.raises(GitHubError, match="HTTP 401 Bad credentials"):
        upsert_comment(client, _target(github), "plan")


def test_main_reads_the_pull_request_from_the_event_and_never_prints_the_token(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 42}}))
    body = tmp_path / "comment.md"
    body.write_text("## syncspec plan\n")
    env = {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": github.url,
        "GITHUB_EVENT_PATH": str(event),
    }
    assert main(["--body-file", str(body)], env) == 0
    assert main(["--body-file", str(body)], env) == 0
    assert len(github.comments[42]) == 1
    github.fail[("PATCH", "/repos")] = 502
    assert main(["--body-file", str(body)], env) == 1
    out = capsys.readouterr()
    assert "comment created" in out.out and "comment updated" in out.out and "HTTP 502" in out.err
    assert TOKEN not in out.out + out.err


def test_main_refuses_what_it_cannot_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "comment.md"
    body.write_text("x")
    assert main(["--body-file", str(body)], {"GITHUB_REPOSITORY": REPO}) == 64  # no token
    assert main(["--body-file", str(body), "--marker", "syncspec"], {"GITHUB_TOKEN": TOKEN}) == 64
    no_event = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_EVENT_PATH": str(tmp_path / "none")}
    assert main(["--body-file", str(body)], no_event) == 1
    assert "no pull request number" in capsys.readouterr().err


def test_an_unreachable_api_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    body = tmp_path / "comment.md"
    body.write_text("x")
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_REPOSITORY": REPO, "GITHUB_API_URL": "http://127.0.0.1:9"}
    assert main(["--body-file", str(body), "--issue", "1"], env) == 1
