"""The jobs door (stage 7): the learner's worker, and jobs started and watched over HTTP.

`worker.py` runs the worker command as the server is run (contained, its output kept);
`driver.py` starts jobs and reads their status; `polling.py` waits on a state for no
longer than it can still change; `deployment.py` is a check's own server and workers, to start
and kill; `verdict.py` says once per run whether the jobs need the worker at all.
"""
