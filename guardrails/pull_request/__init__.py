"""The pull request as the rules read it: its description as GitHub renders it, and what counts as a plan."""
