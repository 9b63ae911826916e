"""What a job needs to know about its deployment, built by the entry point that runs jobs.

The app (embedded runner) and `tenantry worker` each build one from their settings, so nothing
in `workers/` imports the host.
"""

from dataclasses import dataclass

from resolvers.deployment import Deployment


@dataclass(frozen=True, slots=True)
class JobContext:
    deployment: Deployment
    database_url: str  # `tenantry worker` opens it; the app's runner shares the app's
    smtp_url: str | None = None  # None: emails are printed to the console
    mail_from: str = "Tenantry <no-reply@localhost>"
