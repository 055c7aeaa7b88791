"""The organisation-development domain: the glossary of ``shared/design/domain.md`` as code.

Nothing in here knows about HTTP, SQL or serialisation; the services work through the
ports in :mod:`domain.ports`, so the rules can be read and tested on their own.
"""
