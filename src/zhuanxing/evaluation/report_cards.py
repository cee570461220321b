"""All report cards of a run (or of one town) as one zip, the PDFs drawn on every core.

The cards are read in this process (the run's averages, histories and group sizes once);
drawing a PDF is pure CPU in ReportLab, so chunks of cards go to a pool of forked
processes that never touch the database, and the zip is written here as they come back.
"""

from __future__ import annotations

import multiprocessing
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor

from django.db import connection, connections

from zhuanxing.evaluation import selectors
from zhuanxing.evaluation.models import EvaluationRun
from zhuanxing.evaluation.report_pdf import report_card_pdf

CHUNK = 50
# Below this many cards a pool costs more than it saves.
POOL_FROM = 200


def pdf_name(result) -> str:
    return f"{result.run.year}-{result.enterprise.uscc}.pdf"


def zip_name(run: EvaluationRun, town_id: int | None = None) -> str:
    suffix = f"-town{town_id}" if town_id else ""
    return f"report-cards-{run.year}-v{run.version}{suffix}.zip"


def _draw(cards: list[dict]) -> list[tuple[str, bytes]]:
    return [(pdf_name(card["result"]), report_card_pdf(card)) for card in cards]


def _results(run: EvaluationRun, town_id: int | None = None):
    # Not select_related("run"): the reverse manager hands every result this one run, where a
    # join would copy the run's scheme text into each row.
    results = run.results.select_related("enterprise__town", "enterprise__industry")
    if town_id:
        results = results.filter(enterprise__town_id=town_id)
    return results


def _cards_for(results: list, averages: dict, graded: dict) -> list[dict]:
    history = selectors.histories(r.enterprise_id for r in results)
    return [selectors.report_card(r, averages, history[r.enterprise_id], graded) for r in results]


def cards_of(run: EvaluationRun, town_id: int | None = None, limit: int | None = None) -> list[dict]:
    results = _results(run, town_id)
    results = list(results[:limit] if limit else results)
    return _cards_for(results, selectors.division_averages(run), selectors.graded_per_group(run))


_INHERITED: list = []


def _forget_inherited_connections() -> None:
    """Pool initializer: a forked child must never talk on its parent's database sockets
    (the parent may have had them ended by the server meanwhile, or go on using them).
    Drop them without closing, so each child opens its own; the references are kept so that
    garbage collection does not close, and so end, the parent's sessions from here."""
    for conn in connections.all(initialized_only=True):
        _INHERITED.append(conn.connection)
        conn.connection = None
        conn.close_at = None


def _read_and_draw(task: tuple) -> list[tuple[str, bytes]]:
    """In a pool process: read this chunk's results (its own database connection) and draw them."""
    run_id, ids, averages, graded = task
    run = EvaluationRun.objects.get(pk=run_id)
    by_id = {r.pk: r for r in _results(run).filter(pk__in=ids)}
    return _draw(_cards_for([by_id[i] for i in ids], averages, graded))


def write_zip(
    run: EvaluationRun, handle, *, town_id: int | None = None, progress=None, workers=None, limit=None
) -> int:
    """Write the zip to the open binary ``handle``; returns the number of cards. With more than
    one core and enough cards, each pool process reads and draws its own chunks: only result
    ids and the run's averages go to it, only the PDFs come back."""
    if progress is not None:
        progress(stage="读取评价结果")
    ids = list(_results(run, town_id).values_list("pk", flat=True))
    ids = ids[:limit] if limit else ids
    if progress is not None:
        progress(stage="生成评价报告", done=0, total=len(ids))
    workers = workers or os.cpu_count() or 1
    done = 0
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(drawn):
            nonlocal done
            for name, pdf in drawn:
                archive.writestr(name, pdf)
            done += len(drawn)
            if progress is not None:
                progress(done=done)
                progress.check()

        averages, graded = selectors.division_averages(run), selectors.graded_per_group(run)
        in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
        parallel = workers > 1 and len(ids) >= POOL_FROM and not connection.in_atomic_block and not in_memory
        if parallel:
            # The children must not share the parent's sockets: close them; each opens its own.
            connections.close_all()
            context = multiprocessing.get_context("fork")
            tasks = [(run.pk, ids[i : i + CHUNK], averages, graded) for i in range(0, len(ids), CHUNK)]
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_forget_inherited_connections
            ) as pool:
                for drawn in pool.map(_read_and_draw, tasks):
                    add(drawn)
        else:
            by_id = {r.pk: r for r in _results(run, town_id)} if ids else {}
            for i in range(0, len(ids), CHUNK):
                add(_draw(_cards_for([by_id[k] for k in ids[i : i + CHUNK]], averages, graded)))
    return len(ids)
