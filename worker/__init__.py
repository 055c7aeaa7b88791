"""The worker: jobs that run beside the API on the job engine (Celery), never in a request.

Layered like the API: it calls the repositories and the domain, and nothing imports it.
"""
