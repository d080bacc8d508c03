"""The report as one self-contained HTML page: Jinja2 templates, CSS and script inlined.

Nothing is fetched when the page is opened (no fonts, scripts or images from elsewhere), so
it works from a CI artifact or an e-mail attachment. The script only adds the filters and the
search box; the content is all in the HTML, so the page reads the same with JavaScript off.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape
from jinja2.loaders import FunctionLoader

from syncspec.render.report.view import ReportInput, ReportView, build_view

_PACKAGE = "syncspec.render.report"


def _asset(name: str) -> str:
    return resources.files(_PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FunctionLoader(_asset),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt name in a template fails the tests, not silently
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["asset"] = _asset
    return environment


def render_view_html(view: ReportView) -> str:
    return _environment().get_template("report.html.j2").render(view=view)


def render_report_html(given: ReportInput) -> str:
    """The report page of `given` (configuration, plan, diagnostics) as HTML text."""
    return render_view_html(build_view(given))
