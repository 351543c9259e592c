"""Interleave's tracer loads itself into every python3 started under `interleave --python`.

This directory is put first on PYTHONPATH, so Python imports this file at start-up (before the
program's own code): the main program, multiprocessing's children and any python3 the program
starts with subprocess. A sitecustomize the system has is run after it, as it would have been.
"""
import os
import sys

if os.environ.get("INTERLEAVE_TRACE_PATH"):
    try:
        import interleave_tracer
        interleave_tracer.install()
    except Exception as exc:  # tracing must never stop the program
        sys.stderr.write(f"interleave: the tracer could not start: {exc!r}\n")


def _chain():
    # The system's own sitecustomize, if any, shadowed by this one.
    here = os.path.dirname(os.path.abspath(__file__))
    import importlib.machinery
    import importlib.util
    path = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception:
        pass


_chain()
del _chain
