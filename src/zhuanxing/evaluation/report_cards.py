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

from django.db import connections

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


def cards_of(run: EvaluationRun, town_id: int | None = None, limit: int | None = None) -> list[dict]:
    results = run.results.select_related("run", "enterprise__town", "enterprise__industry")
    if town_id:
        results = results.filter(enterprise__town_id=town_id)
    results = list(results[:limit] if limit else results)
    averages = selectors.division_averages(run)
    history = selectors.histories(r.enterprise_id for r in results)
    graded = selectors.graded_per_group(run)
    return [selectors.report_card(r, averages, history[r.enterprise_id], graded) for r in results]


def write_zip(
    run: EvaluationRun, handle, *, town_id: int | None = None, progress=None, workers=None, limit=None
) -> int:
    """Write the zip to the open binary ``handle``; returns the number of cards."""
    if progress is not None:
        progress(stage="读取评价结果")
    cards = cards_of(run, town_id, limit)
    if progress is not None:
        progress(stage="生成评价报告", done=0, total=len(cards))
    chunks = [cards[i : i + CHUNK] for i in range(0, len(cards), CHUNK)]
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

        if workers > 1 and len(cards) >= POOL_FROM:
            # The children inherit the parent's sockets; they must never speak on them.
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close()
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                for drawn in pool.map(_draw, chunks):
                    add(drawn)
        else:
            for chunk in chunks:
                add(_draw(chunk))
    return len(cards)
