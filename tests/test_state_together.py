"""Two commands at once in one checkout (a check beside `grader watch`, or two terminals) share
.grader/state.json: neither crashes on the other's temporary file, and neither's result is lost."""

from __future__ import annotations

import json
import multiprocessing
import os


def _remember(state: str, folder: str, index: int) -> None:
    os.environ["CNN_GRADER_STATE"] = state
    from grader.workbook import state as learner_state

    path = os.path.join(folder, f"ex{index}.py")
    for round_ in range(15):
        with open(path, "w") as out:
            out.write(f"# {index} {round_}\n")
        learner_state.remember_result(__import__("pathlib").Path(path), {"score": index})


def test_commands_at_once_keep_every_result(tmp_path):
    state = tmp_path / ".grader" / "state.json"
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_remember, args=(str(state), str(tmp_path), i)) for i in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    results = json.loads(state.read_text())["results"]
    assert len(results) == 4 and sorted(r["result"]["score"] for r in results.values()) == [
        0,
        1,
        2,
        3,
    ]
    assert not list(state.parent.glob("*.tmp"))  # no temporary file left behind
