"""Background jobs: the queue in the database (queue.py) and the worker that empties it
(worker.py), run by `expense-tracker worker`. The API only records jobs (services.py)."""
