"""Pure CPU work of a big import, spread over a pool of processes.

Imports no models: a spawned worker runs `_mulai` (Django set up) before it
unpickles the function it is asked to run, which may live in any app. Only the
calling thread ever touches the database; the workers get plain data and give
plain data back, batch by batch, in order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings


def jumlah_proses() -> int:
    """How many worker processes: the IMPOR_PROSES setting; none inside a daemonic
    process, which may not have children."""
    if multiprocessing.current_process().daemon:
        return 0
    return settings.IMPOR_PROSES


def _mulai() -> None:
    import django

    django.setup()


def peta_batch(fungsi: Callable, batch: Iterable[list], *args, mulai: int = 0) -> Iterator[list]:
    """fungsi(b, *args) for each batch b, in order. The first `mulai` batches run
    here (a small import never pays for starting processes); after that a pool
    works ahead by one batch per process, so memory stays bounded."""
    batch = iter(batch)
    for _i, b in zip(range(mulai), batch, strict=False):
        yield fungsi(b, *args)
    n = jumlah_proses()
    if n < 1:
        for b in batch:
            yield fungsi(b, *args)
        return
    konteks = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(n, mp_context=konteks, initializer=_mulai) as kolam:
        antre: deque = deque()
        try:
            for b in batch:
                antre.append(kolam.submit(fungsi, b, *args))
                if len(antre) > n:
                    yield antre.popleft().result()
            while antre:
                yield antre.popleft().result()
        finally:
            for f in antre:
                f.cancel()
