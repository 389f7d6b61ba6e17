"""Pure CPU work of a big import, spread over a pool of processes.

Imports no models: a spawned worker runs `_mulai` (Django set up) before it
unpickles the function it is asked to run, which may live in any app. Only the
calling thread ever touches the database; the workers get plain data and give
plain data back, batch by batch, in order.
"""

from __future__ import annotations

import gc
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
    # A worker only turns batches of plain data into other plain data, freed by
    # reference counting when the batch is done; the collector's passes over the
    # thousands of containers each batch holds cost 10 to 15 % of an import's
    # reading (measured on 100,000 records) and would find nothing.
    gc.disable()


def peta_batch(fungsi: Callable, batch: Iterable[list], *args, mulai: int = 0) -> Iterator[list]:
    """fungsi(b, *args) for each batch b, in order. The first `mulai` batches run
    here (a small import never pays for starting processes); after that a pool
    works ahead by one batch per process, so memory stays bounded.

    While the caller works through the batches, what it holds across them
    (Django's objects, its own state) sits in the collector's permanent
    generation, frozen after each batch: the collector's full passes stop walking
    it again and again (7 % of the reading of 100,000 records). It goes back to
    the collector when the batches end, however they end."""
    try:
        for hasil in _peta_batch(fungsi, batch, *args, mulai=mulai):
            gc.freeze()
            yield hasil
    finally:
        gc.unfreeze()


def _peta_batch(fungsi: Callable, batch: Iterable[list], *args, mulai: int) -> Iterator[list]:
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
