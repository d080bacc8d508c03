"""CI integration: the steps of the GitHub Action (action.yml) and the sticky pull-request comment.

Run as `python -m syncspec.ci.step` and `python -m syncspec.ci.github_comment`; they call syncspec
as a separate process (the command a user would run), so this package imports only `model`.
"""
