"""The composition root: opens a project and its environment, and runs one job on it.

Below `cli/` (which only parses options and renders) and above the stages it wires:
`spec/` reads the files, `targets/` and `tenant/` reach the tenant, `state/` keeps the
records, `plan/` and `apply/` do the work. Nothing here imports click.
"""
