"""Running one piece of work in several threads released together, each with its own database
connection (closed at the end, so that the test database can be flushed)."""

import threading

from django.db import connections


def at_once(count, work):
    """Run ``work()`` in ``count`` threads released together; their answers in thread order."""
    barrier = threading.Barrier(count)
    answers = [None] * count

    def run(index):
        try:
            barrier.wait()
            answers[index] = work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
