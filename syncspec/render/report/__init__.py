"""The HTML report of a configuration and of a plan: `build_view` (pure view), `render_report_html`."""

from syncspec.render.report.html import render_report_html
from syncspec.render.report.view import ReportInput, build_view

__all__ = ["ReportInput", "build_view", "render_report_html"]
