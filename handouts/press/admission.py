"""The worker plugin that admits a Dask worker to print, sent by value.

Dask sends a registered plugin to every worker, now and whenever one joins, and a
worker that cannot unpickle it fails to start. So this module imports nothing of this
package at its top and is pickled by value (press/cluster.py registers it with
cloudpickle): a worker without this code still joins the cluster, for other work, and
is simply never admitted to print handouts.
"""

from __future__ import annotations

import asyncio

from distributed import WorkerPlugin


class Admit(WorkerPlugin):
    """On each worker: the print tasks' Dask resource, if its engine matches the building machine's."""

    idempotent = True

    def __init__(self, expected: dict[str, str], resource: str):
        self.expected, self.resource = expected, resource

    async def setup(self, worker) -> None:
        try:
            from handouts.plan.versions import engine
        except ImportError:  # not this code: it cannot print (and the build says so)
            return
        theirs = await asyncio.get_running_loop().run_in_executor(None, engine)
        if theirs == self.expected:
            await worker.set_resources(**{self.resource: 1})
