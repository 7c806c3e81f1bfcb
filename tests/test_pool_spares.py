"""A submission's checks fork one worker per check module and throw none away: the spare started
while one module's checks run is the next module's (05 has two modules, which once put every
later spare one exercise off, so each was closed unused and another forked)."""

from __future__ import annotations

from grader.checking.runner import run_checks
from grader.supervisor import pool, process
from grader.workbook.catalog import load_catalog
from grader.workbook.paths import SOLUTIONS_DIR


def test_one_worker_per_check_module_none_thrown_away(monkeypatch):
    chosen = [e for e in load_catalog() if 4 <= e.number <= 7]  # 05's two modules in the middle
    modules = [path for e in chosen for path in e.check_files]
    assert len(modules) > len(chosen)
    started, closed_unused = [], []
    original_init, original_close = process.Worker.__init__, process.Worker.close

    def counted_init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        started.append(self)

    def counted_close(self):
        if not getattr(self, "_loaded_once", False) and self in started:
            closed_unused.append(self)
        original_close(self)

    original_request = process.Worker.request

    def marked_request(self, *args, **kwargs):
        self._loaded_once = True
        return original_request(self, *args, **kwargs)

    monkeypatch.setattr(process.Worker, "__init__", counted_init)
    monkeypatch.setattr(process.Worker, "close", counted_close)
    monkeypatch.setattr(process.Worker, "request", marked_request)
    result = run_checks(submission=SOLUTIONS_DIR, exercises=chosen)
    pool.shared_pool().close()
    assert result.total == result.max_total
    assert len(started) == len(modules), (len(started), len(modules))
    assert not closed_unused
