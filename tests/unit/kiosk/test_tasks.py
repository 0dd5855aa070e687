"""TaskRunner (the real one): work on a worker thread, results and errors on the GUI thread,
and the event loop keeps running while a task blocks. Qt core only, no widgets."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk.tasks import TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    assert tasks.wait_for_done(5000)


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(
    runner: TaskRunner, qapp: QApplication, qtbot: QtBot
) -> None:
    gui = qapp.thread()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work_thread"] = QThread.currentThread()
        seen["work_pythread"] = threading.current_thread()
        return 42

    def done(result: int) -> None:
        seen["result"] = result
        seen["done_thread"] = QThread.currentThread()

    runner.run(work, done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["work_thread"] is not gui
    assert seen["work_pythread"] is not threading.main_thread()
    assert seen["done_thread"] is gui
    assert runner.pending() == 0


def test_an_error_reaches_on_error_on_the_gui_thread(
    runner: TaskRunner, qapp: QApplication, qtbot: QtBot
) -> None:
    seen: dict[str, object] = {}

    def work() -> None:
        raise ConnectionError("platform unreachable")

    def failed(exc: BaseException) -> None:
        seen["error"] = exc
        seen["thread"] = QThread.currentThread()

    runner.run(work, lambda _: seen.setdefault("done", True), failed)
    qtbot.waitUntil(lambda: "error" in seen, timeout=5000)
    assert isinstance(seen["error"], ConnectionError)
    assert str(seen["error"]) == "platform unreachable"
    assert seen["thread"] is qapp.thread()
    assert "done" not in seen


def test_a_blocking_task_does_not_block_the_event_loop(runner: TaskRunner, qtbot: QtBot) -> None:
    """A 1 s task: a 50 ms timer keeps firing meanwhile (the screen stays responsive)."""
    ticks_while_busy: list[int] = []
    ticks = [0]

    def tick() -> None:
        ticks[0] += 1

    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(tick)
    timer.start()

    def work() -> str:
        time.sleep(1.0)
        return "slept"

    results: list[str] = []
    runner.run(work, lambda r: (ticks_while_busy.append(ticks[0]), results.append(r)))
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    timer.stop()
    assert results == ["slept"]
    # ~20 ticks in a second if the loop ran; a blocked loop would deliver at most one.
    assert ticks_while_busy[0] >= 10


def test_results_of_several_tasks_all_arrive(runner: TaskRunner, qtbot: QtBot) -> None:
    results: list[int] = []
    for i in range(8):
        runner.run(lambda i=i: i * i, results.append)
    qtbot.waitUntil(lambda: len(results) == 8, timeout=5000)
    assert sorted(results) == [i * i for i in range(8)]
    assert runner.pending() == 0
