"""Use cases: plain functions over a unit of work, one per thing a caller can ask for.

Each opens the unit of work, applies the domain's rules, and commits only when every
rule held, so a refused request leaves nothing half-written.
"""
